using Akka.Configuration;
using WalActors.Compaction;

namespace WalActors.Tests.Compaction;

/// <summary>
/// Compaction's own thread: a pass runs on it, lowered; the steps it hands back run on the caller's thread at the
/// caller's priority, in order; failures of either reach the caller with their type.
/// </summary>
public sealed class CompactionThreadTests
{
    [Fact]
    public void A_pass_runs_on_its_own_thread_and_its_locking_steps_on_the_callers_in_order()
    {
        using var thread = new CompactionThread("test-compaction", nice: 0);
        var caller = Environment.CurrentManagedThreadId;
        var steps = new List<int>();

        var (passThread, stepThreads) = thread.Run(atCallerPriority =>
        {
            var on = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                var step = i;
                atCallerPriority(() =>
                {
                    steps.Add(step);
                    on.Add(Environment.CurrentManagedThreadId);
                });
            }

            return (Environment.CurrentManagedThreadId, on);
        });

        Assert.NotEqual(caller, passThread);
        Assert.Equal([caller, caller, caller], stepThreads);
        Assert.Equal([0, 1, 2], steps);
    }

    [Fact]
    public void The_pass_runs_at_the_nice_value_it_was_given_and_the_steps_at_the_callers()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // nice values are Linux's; elsewhere the thread gets the lowest thread priority
        }

        using var thread = new CompactionThread("test-compaction", nice: 19);
        var callerNice = ThreadNice();

        var (passNice, stepNice) = thread.Run(atCallerPriority =>
        {
            var step = -1;
            atCallerPriority(() => step = ThreadNice());
            return (ThreadNice(), step);
        });

        Assert.True(thread.Lowered);
        Assert.Equal(19, passNice);
        Assert.Equal(callerNice, stepNice);
        Assert.NotEqual(19, callerNice);
    }

    [Fact]
    public void A_failure_of_the_pass_or_of_a_step_reaches_the_caller_with_its_type_and_the_thread_goes_on()
    {
        using var thread = new CompactionThread("test-compaction", nice: 0);

        Assert.Throws<WalIOException>(() => thread.Run<int>(_ => throw new WalIOException("compacting", "/x", new IOException("disk full"), false)));
        var caught = Assert.Throws<InvalidOperationException>(() => thread.Run<int>(atCallerPriority =>
        {
            atCallerPriority(() => throw new InvalidOperationException("the segment is still being written"));
            return 1;
        }));
        Assert.Equal("the segment is still being written", caught.Message);
        Assert.Equal(42, thread.Run(_ => 42));
    }

    [Fact]
    public void A_stopped_thread_refuses_passes()
    {
        var thread = new CompactionThread("test-compaction", nice: 0);
        thread.Dispose();

        Assert.Throws<InvalidOperationException>(() => thread.Run(_ => 1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(20)]
    public void A_nice_value_out_of_range_is_refused_naming_the_setting(int nice)
    {
        var config = ConfigurationFactory.ParseString($"directory = x\ncompaction-thread-nice = {nice}");

        var error = Assert.Throws<ArgumentException>(() => WalOptions.FromConfig(config));
        Assert.Contains("compaction-thread-nice", error.Message, StringComparison.Ordinal);
    }

    // Field 19 of /proc/thread-self/stat, counted after the command name's closing parenthesis (the name may hold spaces).
    private static int ThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
