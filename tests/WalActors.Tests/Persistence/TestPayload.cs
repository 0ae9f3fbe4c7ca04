using Akka.Actor;

namespace WalActors.Tests.Persistence;

/// <summary>An event holding an actor reference: its serializer needs the transport information Akka sets while serializing.</summary>
public sealed record TestPayload(IActorRef Ref);
