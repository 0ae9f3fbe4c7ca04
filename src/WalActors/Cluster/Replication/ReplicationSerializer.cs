using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace WalActors.Cluster.Replication;

/// <summary>
/// The wire format of the replication protocol: a compact binary layout of our own (little-endian integers,
/// length-prefixed UTF-8 and bytes), so a ledger's batches cross Akka.Remote without a general-purpose serializer
/// and the format is ours to version. Bound to <see cref="IReplicationMessage"/> in hocon/replication.conf.
/// </summary>
internal sealed class ReplicationSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id in the HOCON binding; Akka reserves 0–100 for itself.</summary>
    public const int Id = 1515;

    private const string ReplicateBatchManifest = "RB";
    private const string ReplicatedManifest = "RD";
    private const string BehindManifest = "BH";
    private const string FenceManifest = "FE";
    private const string FencedManifest = "FD";
    private const string ReadRangeManifest = "RR";
    private const string RangeReadManifest = "RS";
    private const string RefusedManifest = "RF";
    private const string EnsureReplicaManifest = "ER";
    private const string ReplicaReadyManifest = "RY";
    private const string CommitManifest = "CM";

    /// <summary>Created by Akka's serialization from the HOCON binding.</summary>
    public ReplicationSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        ReplicateBatch => ReplicateBatchManifest,
        Replicated => ReplicatedManifest,
        Behind => BehindManifest,
        Fence => FenceManifest,
        Fenced => FencedManifest,
        ReadRange => ReadRangeManifest,
        RangeRead => RangeReadManifest,
        Refused => RefusedManifest,
        EnsureReplica => EnsureReplicaManifest,
        ReplicaReady => ReplicaReadyManifest,
        Commit => CommitManifest,
        _ => throw new ArgumentException($"{o.GetType()} is not a replication message.", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, obj);
        }

        return stream.ToArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return manifest switch
        {
            ReplicateBatchManifest => new ReplicateBatch(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), ReadEntries(reader), reader.ReadInt64()),
            ReplicatedManifest => new Replicated(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64()),
            BehindManifest => new Behind(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64()),
            FenceManifest => new Fence(reader.ReadString(), reader.ReadInt64()),
            FencedManifest => new Fenced(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), ReadHistory(reader)),
            ReadRangeManifest => new ReadRange(reader.ReadString(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadBoolean()),
            RangeReadManifest => new RangeRead(reader.ReadString(), reader.ReadInt64(), ReadEntries(reader), reader.ReadInt64(), reader.ReadInt64()),
            RefusedManifest => new Refused(reader.ReadString(), reader.ReadInt64(), reader.ReadString()),
            EnsureReplicaManifest => new EnsureReplica(reader.ReadString()),
            ReplicaReadyManifest => new ReplicaReady(reader.ReadString(), system.Provider.ResolveActorRef(reader.ReadString())),
            CommitManifest => new Commit(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64()),
            _ => throw new SerializationException($"Unknown replication message manifest '{manifest}'."),
        };
    }

    private static void Write(BinaryWriter writer, object message)
    {
        switch (message)
        {
            case ReplicateBatch m:
                WriteHead(writer, m.Ledger, m.Epoch);
                writer.Write(m.First);
                WriteEntries(writer, m.Entries);
                writer.Write(m.WriterDurableEnd);
                break;
            case Replicated m:
                WriteHead(writer, m.Ledger, m.Epoch);
                writer.Write(m.DurableEnd);
                break;
            case Behind m:
                WriteHead(writer, m.Ledger, m.Epoch);
                writer.Write(m.DurableEnd);
                break;
            case Fence m:
                WriteHead(writer, m.Ledger, m.Epoch);
                break;
            case Fenced m:
                WriteHead(writer, m.Ledger, m.Epoch);
                writer.Write(m.DurableEnd);
                writer.Write(m.History.Count);
                foreach (var start in m.History)
                {
                    writer.Write(start.Epoch);
                    writer.Write(start.Start);
                }

                break;
            case ReadRange m:
                WriteHead(writer, m.Ledger, m.From);
                writer.Write(m.MaxEntries);
                writer.Write(m.CommittedOnly);
                break;
            case RangeRead m:
                WriteHead(writer, m.Ledger, m.From);
                WriteEntries(writer, m.Entries);
                writer.Write(m.DurableEnd);
                writer.Write(m.CommittedEnd);
                break;
            case Refused m:
                WriteHead(writer, m.Ledger, m.HighestEpoch);
                writer.Write(m.Reason);
                break;
            case Commit m:
                WriteHead(writer, m.Ledger, m.Epoch);
                writer.Write(m.CommittedEnd);
                break;
            case EnsureReplica m:
                writer.Write(m.Ledger);
                break;
            case ReplicaReady m:
                writer.Write(m.Ledger);
                // With the address Akka.Remote is sending from, so the receiving node resolves it back to this node.
                writer.Write(Akka.Serialization.Serialization.SerializedActorPath(m.Replica));
                break;
            default:
                throw new ArgumentException($"{message.GetType()} is not a replication message.", nameof(message));
        }
    }

    /// <summary>Every message starts with its ledger and one number (an epoch, or a position for reads).</summary>
    private static void WriteHead(BinaryWriter writer, string ledger, long number)
    {
        writer.Write(ledger);
        writer.Write(number);
    }

    private static void WriteEntries(BinaryWriter writer, IReadOnlyList<LedgerEntry> entries)
    {
        writer.Write(entries.Count);
        foreach (var entry in entries)
        {
            writer.Write(entry.Epoch);
            writer.Write(entry.Payload.Length);
            writer.Write(entry.Payload);
        }
    }

    private static List<LedgerEntry> ReadEntries(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var entries = new List<LedgerEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var epoch = reader.ReadInt64();
            var length = reader.ReadInt32();
            var payload = reader.ReadBytes(length);
            if (payload.Length != length)
            {
                throw new SerializationException("A replicated entry ends before its declared length.");
            }

            entries.Add(new LedgerEntry(epoch, payload));
        }

        return entries;
    }

    private static List<EpochStart> ReadHistory(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var history = new List<EpochStart>(count);
        for (var i = 0; i < count; i++)
        {
            history.Add(new EpochStart(reader.ReadInt64(), reader.ReadInt64()));
        }

        return history;
    }
}
