using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace WalActors.Tests.Persistence;

/// <summary>A serializer that includes the type manifest and fails without it.</summary>
public sealed class TypeManifestSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 667;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) => Encoding.UTF8.GetBytes(((ManifestedEvent)obj).Text);

    public override object FromBinary(byte[] bytes, Type? type) =>
        type == typeof(ManifestedEvent) ? new ManifestedEvent(Encoding.UTF8.GetString(bytes)) : throw new ArgumentException($"No manifest for {type}", nameof(type));
}
