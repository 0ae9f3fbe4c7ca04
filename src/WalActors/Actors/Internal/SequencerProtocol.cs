namespace WalActors.Actors.Internal;

/// <summary>
/// A writer asks for a contiguous range of <paramref name="Bytes"/> bytes for the batch the facade numbered
/// <paramref name="Ticket"/>; ranges are granted in ticket order, so LSNs follow the order appends arrived in.
/// </summary>
internal sealed record Reserve(int Bytes, long Ticket);

/// <summary>The range starting at <paramref name="Offset"/> belongs to the writer that asked.</summary>
internal sealed record Reserved(long Offset);

/// <summary>The log is faulted: no range will be handed out.</summary>
internal sealed record ReservationRefused(WalException Reason);

/// <summary>Everything before <paramref name="End"/> is durable: reservations may run up to the window past it.</summary>
internal sealed record DurableAdvanced(long End);
