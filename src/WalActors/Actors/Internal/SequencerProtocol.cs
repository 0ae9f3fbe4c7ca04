using Akka.Actor;

namespace WalActors.Actors.Internal;

/// <summary>
/// The facade asks for a contiguous range for <paramref name="Batch"/>, to be written by <paramref name="Writer"/>. Only the
/// facade sends these, so they arrive in its dispatch order, and ranges are granted in that order: LSNs follow the order
/// appends arrived in.
/// </summary>
internal sealed record Reserve(WriteBatch Batch, IActorRef Writer);

/// <summary>
/// The range starting at <paramref name="Offset"/> belongs to <paramref name="Batch"/>: write it there. Everything below
/// <paramref name="DurableEnd"/> is on stable storage; every frame of the batch carries it, so recovery can prove it.
/// </summary>
internal sealed record Reserved(WriteBatch Batch, long Offset, long DurableEnd);

/// <summary>The log is faulted: no range will be handed out, and <paramref name="Batch"/> must fail.</summary>
internal sealed record ReservationRefused(WriteBatch Batch, WalException Reason);

/// <summary>Everything before <paramref name="End"/> is durable: reservations may run up to the window past it.</summary>
internal sealed record DurableAdvanced(long End);
