namespace WalActors;

/// <summary>When a projection stores its offset relative to running its handler, and so what a restart can repeat or skip.</summary>
public enum ProjectionMode
{
    /// <summary>
    /// The offset is committed after the handler ran for the events it covers (every <see cref="WalProjectionOptions.CommitEvery"/>
    /// events or <see cref="WalProjectionOptions.CommitInterval"/>): after a crash, events handled since the last commit
    /// are handled again; none is skipped. Output events are written as each handler call returns.
    /// </summary>
    AtLeastOnce = 0,

    /// <summary>
    /// The offset of a group of events is committed before the handler runs for them: after a crash, events of the
    /// group being handled may never be handled; none is handled twice.
    /// </summary>
    AtMostOnce = 1,

    /// <summary>
    /// The handler's output events and the offset of the events that produced them are written to the journal's log in
    /// one atomic batch: after a crash either both are there or neither, so each event's output is in the journal exactly
    /// once. Effects the handler has outside the journal are at-least-once.
    /// </summary>
    ExactlyOnce = 2,
}
