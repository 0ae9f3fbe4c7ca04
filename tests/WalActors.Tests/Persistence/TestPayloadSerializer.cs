using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace WalActors.Tests.Persistence;

/// <summary>A string-manifest serializer that, like the one in Akka's journal specification, refuses to run without transport information.</summary>
public sealed class TestPayloadSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string PayloadManifest = "test-payload-v1";

    public override int Identifier => 666;

    public override string Manifest(object o) => PayloadManifest;

    public override byte[] ToBinary(object obj)
    {
        // Throws unless the caller set the transport information (Serialization.WithTransport).
        _ = Akka.Serialization.Serialization.GetCurrentTransportInformation();
        return Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(((TestPayload)obj).Ref));
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        manifest == PayloadManifest
            ? new TestPayload(system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes)))
            : throw new ArgumentException($"Unknown manifest {manifest}", nameof(manifest));
}
