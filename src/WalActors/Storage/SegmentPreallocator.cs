using System.Diagnostics;

namespace WalActors.Storage;

/// <summary>
/// Creates segment files ahead of the writes, on one thread of its own per store, so the write that reaches a new segment
/// finds it made (etcd's file pipeline does the same for its WAL files).
/// </summary>
/// <remarks>
/// <para>A thread of its own, not the thread pool: zero-filling and syncing a segment blocks for tens of milliseconds,
/// and on a small machine taking a pool thread that long stalls every actor and continuation queued behind it. The
/// thread starts with the first request, so a store that never grows never has one.</para>
/// <para>Requests coalesce: asking while a creation runs only raises the target of the next one. A failure is not
/// swallowed: it is kept (<see cref="LastFailure"/>) and reported to <c>failed</c>; the write that reaches the segment
/// then creates it itself and meets the error, if it persists, where it can be handled (a full disk is waited out).</para>
/// <para><see cref="Dispose"/> refuses further requests, lets the thread serve the one already made, and waits for it,
/// so nothing touches the directory after its store is closed and its lock released.</para>
/// </remarks>
internal sealed class SegmentPreallocator : IDisposable
{
    private readonly Action<long> _create;
    private readonly Action<long, Exception>? _failed;
    private readonly string _threadName;
    private readonly object _gate = new();
    private Thread? _thread;
    private long _target = -1;
    private bool _stopping;
    private Exception? _lastFailure;

    /// <param name="create">Creates every missing segment through the one that holds the given position.</param>
    /// <param name="failed">Told of each failed creation (the position and the error), on the preallocating thread.</param>
    /// <param name="threadName">Names the thread in dumps and debuggers.</param>
    public SegmentPreallocator(Action<long> create, Action<long, Exception>? failed, string threadName)
    {
        _create = create;
        _failed = failed;
        _threadName = threadName;
    }

    /// <summary>The error of the last creation that failed, or null.</summary>
    public Exception? LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>Whether a creation is asked for or running (for tests and diagnostics).</summary>
    internal bool IsBusy { get; private set; }

    /// <summary>Whether <see cref="Dispose"/> has begun: requests are ignored from then on.</summary>
    internal bool IsStopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping;
            }
        }
    }

    /// <summary>Asks for the segment holding <paramref name="position"/> to be created; returns at once. Ignored once disposed.</summary>
    public void Request(long position)
    {
        lock (_gate)
        {
            if (_stopping || position <= _target)
            {
                return;
            }

            _target = position;
            IsBusy = true;
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = _threadName };
                _thread.Start();
            }

            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Stops the thread once it has served the request already made (if any); returns when it has.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.Pulse(_gate);
        }

        Debug.Assert(thread != Thread.CurrentThread, "the preallocating thread never closes its own store");
        thread?.Join();
    }

    private void Run()
    {
        while (true)
        {
            long target;
            lock (_gate)
            {
                while (_target < 0 && !_stopping)
                {
                    IsBusy = false;
                    Monitor.Wait(_gate);
                }

                if (_target < 0)
                {
                    // Stopping, with nothing asked for: a request made before Dispose is still served, so closing a store
                    // never depends on whether its thread had picked the request up yet.
                    IsBusy = false;
                    return;
                }

                target = _target;
                _target = -1;
            }

            try
            {
                _create(target);
            }
            catch (Exception e) when (e is WalException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _lastFailure = e;
                }

                _failed?.Invoke(target, e);
            }
        }
    }
}
