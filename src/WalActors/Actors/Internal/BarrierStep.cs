namespace WalActors.Actors.Internal;

/// <summary>What the durability actor does next about barriers (<see cref="BarrierPolicy.Next"/>).</summary>
internal enum BarrierStep
{
    /// <summary>Nothing: a barrier is in flight, the log has faulted, or nothing waits for one.</summary>
    None,

    /// <summary>Wait <see cref="BarrierDecision.Delay"/> (sync-interval spacing), then ask again.</summary>
    WaitForInterval,

    /// <summary>Nothing was written since the last barrier: answer the sync waiters with the durable end at once.</summary>
    AnswerWaiters,

    /// <summary>Issue a barrier up to <see cref="BarrierDecision.Target"/>.</summary>
    Start,

    /// <summary>Issue a barrier up to the end of the first durable append not answered yet (per-append mode).</summary>
    StartAtFirstUnansweredDurable,
}
