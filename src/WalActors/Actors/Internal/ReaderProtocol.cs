using Akka.Actor;
using WalActors.Storage;

namespace WalActors.Actors.Internal;

/// <summary>A tailing reader asks for the store and for end-of-log updates at <paramref name="Level"/>.</summary>
internal sealed record AttachReader(Durability Level);

/// <summary>
/// Asks for the store and its read limit, for a reader in this process that reads records it knows to be durable (a
/// journal reading the events its index holds) by position, without the log's round trip per read and without end updates.
/// Answered with <see cref="ReaderAttached"/>, or a failure once the log has no store.
/// </summary>
internal sealed class LendStore
{
    public static readonly LendStore Instance = new();

    private LendStore()
    {
    }
}

/// <summary>The store a reader reads with positioned I/O, and the limits to validate with.</summary>
internal sealed record ReaderAttached(IWalStore Store, int MaxRecordSize);

/// <summary>Sent to the durability actor: push end updates to <paramref name="Reader"/>.</summary>
internal sealed record SubscribeEnds(IActorRef Reader, Durability Level);

/// <summary>The reader is gone: stop pushing updates to it.</summary>
internal sealed record DetachReader(IActorRef Reader);

/// <summary>What a reader at <see cref="Durability.Durable"/> may read up to, and one at <see cref="Durability.Written"/>.</summary>
internal sealed record EndsAdvanced(long DurableEnd, long WrittenEnd);

/// <summary>The log has stopped (or faulted and stopped): no more updates will come.</summary>
internal sealed record LogClosed(WalException Reason);

/// <summary>A read for the reader actor, with the end it may read up to.</summary>
internal sealed record ReadRequest(Read Read, long End, IActorRef ReplyTo);

/// <summary>A truncation for the reader actor, already clamped to the durable end.</summary>
internal sealed record TruncateRequest(long Before, IActorRef ReplyTo);
