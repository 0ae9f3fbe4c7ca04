using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using WalActors.Storage;

namespace WalActors.Compaction;

/// <summary>
/// The thread a log's compaction passes run on, at a lower CPU priority than the appends, as RocksDB lowers its
/// compaction threads' priority: on a machine whose cores the appends keep busy, the kernel gives the pass what they
/// leave instead of half of a core. The steps of a pass that hold the store's locks run back on the caller's thread, at
/// its priority, so a writer never waits on a lock held by a thread the kernel is starving.
/// </summary>
/// <remarks>
/// <para>The thread is the pass's alone for the log's life: an unprivileged thread may lower its priority but never raise
/// it again, so no thread of a pool is ever lowered. On Linux the priority is the thread's nice value (setpriority on its
/// thread id); elsewhere <see cref="ThreadPriority.Lowest"/> when the nice value is above 0. A refused setpriority leaves
/// the thread at normal priority: the pass is then as it was, never failed for it.</para>
/// <para>Measured in docs/PERFORMANCE.md ("Compaction on a thread of its own, niced"): appends during a pass at 10 M
/// events rose from 0.43–0.63x to 0.71–1.03x of those without one.</para>
/// </remarks>
internal sealed class CompactionThread : IDisposable
{
    private readonly BlockingCollection<Action> _passes = new();
    private readonly Thread _thread;
    private volatile bool _stopped;

    /// <param name="name">The thread's name.</param>
    /// <param name="nice">The nice value to run at, 0 (normal) to 19 (lowest).</param>
    public CompactionThread(string name, int nice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        _thread = new Thread(() => Run(nice)) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether the kernel took the lower priority (false with nice 0, or when it refused).</summary>
    public bool Lowered { get; private set; }

    /// <summary>
    /// Runs <paramref name="pass"/> on the compaction thread and blocks the caller until it ends, running meanwhile, on
    /// the caller's thread and in order, every step the pass hands to the <c>atCallerPriority</c> runner it is given
    /// (the pass blocks until each such step is done). Returns the pass's result, or rethrows what it threw.
    /// </summary>
    /// <exception cref="InvalidOperationException">The thread was stopped.</exception>
    public T Run<T>(Func<Action<Action>, T> pass)
    {
        if (_stopped)
        {
            throw new InvalidOperationException("The compaction thread was stopped.");
        }

        using var steps = new BlockingCollection<(Action Step, ManualResetEventSlim Done)>();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        _passes.Add(() =>
        {
            try
            {
                result = pass(step =>
                {
                    using var done = new ManualResetEventSlim();
                    ExceptionDispatchInfo? stepFailure = null;
                    steps.Add((() =>
                    {
                        try
                        {
                            step();
                        }
                        catch (Exception e)
                        {
                            stepFailure = ExceptionDispatchInfo.Capture(e);
                        }
                    }, done));
                    done.Wait();
                    stepFailure?.Throw();
                });
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                steps.CompleteAdding();
            }
        });

        foreach (var (step, done) in steps.GetConsumingEnumerable())
        {
            step();
            done.Set();
        }

        failure?.Throw();
        return result;
    }

    /// <summary>Stops the thread once the pass it runs, if any, has ended.</summary>
    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _passes.CompleteAdding();
        _thread.Join();
        _passes.Dispose();
    }

    private void Run(int nice)
    {
        if (nice > 0)
        {
            if (OperatingSystem.IsLinux())
            {
                Lowered = NativeMethods.SetPriority(NativeMethods.PriorityProcess, NativeMethods.GetThreadId(), nice) == 0;
            }
            else
            {
                Thread.CurrentThread.Priority = ThreadPriority.Lowest;
                Lowered = true;
            }
        }

        foreach (var pass in _passes.GetConsumingEnumerable())
        {
            pass();
        }
    }
}
