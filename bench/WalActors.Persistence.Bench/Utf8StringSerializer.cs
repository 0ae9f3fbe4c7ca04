using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace WalActors.Persistence.Bench;

/// <summary>Strings as UTF-8 bytes: what an application that cares about journal throughput binds for its events.</summary>
public sealed class Utf8StringSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 1001;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => Encoding.UTF8.GetBytes((string)obj);

    public override object FromBinary(byte[] bytes, Type? type) => Encoding.UTF8.GetString(bytes);
}
