namespace WalActors.Actors.Internal;

/// <summary>The barrier policy's answer: a step and, for a barrier, how far it covers and until where it may linger.</summary>
/// <param name="Step">What to do.</param>
/// <param name="Target">For <see cref="BarrierStep.Start"/>: the written end the barrier covers.</param>
/// <param name="LingerTarget">For a barrier that may linger (group mode, several producers): the written end it may wait for; 0 for none.</param>
/// <param name="Delay">For <see cref="BarrierStep.WaitForInterval"/>: how long until the interval has passed.</param>
internal readonly record struct BarrierDecision(BarrierStep Step, long Target = 0, long LingerTarget = 0, TimeSpan Delay = default);
