using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace WalActors.Logging.Tail;

/// <summary>
/// The wire format of the node log tail protocol (<see cref="INodeLogMessage"/>): little-endian integers and
/// length-prefixed UTF-8, bound in hocon/reference.conf. The StreamRef it hands out has Akka.Streams' own serializer.
/// </summary>
internal sealed class NodeLogSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id in the HOCON binding.</summary>
    public const int Id = 1516;

    private const string FollowManifest = "F";
    private const string ListManifest = "L";
    private const string MembersManifest = "M";

    /// <summary>Created by Akka's serialization from the HOCON binding.</summary>
    public NodeLogSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        FollowNodeLog => FollowManifest,
        ListNodeLogs => ListManifest,
        NodeLogMembers => MembersManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a node log tail message.", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case FollowNodeLog follow:
                    writer.Write(follow.After);
                    break;
                case ListNodeLogs:
                    break;
                case NodeLogMembers members:
                    writer.Write(members.Addresses.Count);
                    foreach (var address in members.Addresses)
                    {
                        writer.Write(address);
                    }

                    break;
                default:
                    throw new ArgumentException($"{obj.GetType()} is not a node log tail message.", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        return manifest switch
        {
            FollowManifest => new FollowNodeLog(reader.ReadInt64()),
            ListManifest => ListNodeLogs.Instance,
            MembersManifest => new NodeLogMembers([.. Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString())]),
            _ => throw new System.Runtime.Serialization.SerializationException($"Unknown node log tail manifest '{manifest}'."),
        };
    }
}
