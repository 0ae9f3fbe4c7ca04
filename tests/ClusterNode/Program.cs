using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using WalActors.ClusterNode;

// WalActors.ClusterNode --port P --seeds P1,P2,P3 --etcd URL --key-prefix PREFIX --dir DIR [--journal local|cluster] [--shards N]
//     [--ask-timeout SECONDS]
// Prints "ready ADDRESS" once it is an Up member with its shard region started, then answers the commands of
// CommandLoop on stdin until stdin closes (exit 0) or the cluster downs the node ("downed UNREACHABLE-COUNT", exit 3) or
// another member refuses it as quarantined ("quarantined BY-ADDRESS", exit 3).
// Only protocol lines go to stdout; Akka's log goes to stderr.
var arguments = NodeArguments.Parse(args);
var answers = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
Console.SetOut(Console.Error);
var commands = StdinLines.Read(Console.In);
Directory.CreateDirectory(arguments.Directory);
var system = ActorSystem.Create(NodeSystem.Name, NodeConfig.Build(arguments));
var cluster = Akka.Cluster.Cluster.Get(system);
var quarantined = QuarantineWatch.Start(system);
var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
cluster.RegisterOnMemberUp(() => up.TrySetResult());
var exitCode = 1;
if (await Task.WhenAny(up.Task, commands.Completion) == up.Task)
{
    var region = await ClusterSharding.Get(system).StartAsync(
        NodeSystem.EntityType, Props.Create<RecordingEntity>(), ClusterShardingSettings.Create(system), new EntityShards(arguments.Shards));
    answers.WriteLine($"ready {cluster.SelfAddress}");
    // A node the cluster downed (it was frozen or cut off while the others moved on) ends at once with 3, as an
    // orchestrator would end it, so the driver sees it gone and can start it again: its coordinated shutdown, with
    // the others unreachable, runs into each phase's timeout and took over a minute with the cluster journal.
    var serving = new CommandLoop(system, region, answers, arguments.AskTimeout).RunAsync(commands);
    var downed = SelfDownedAsync(cluster);
    var ended = await Task.WhenAny(serving, downed, quarantined);
    if (ended == quarantined)
    {
        answers.WriteLine($"quarantined {quarantined.Result}");
        Environment.Exit(3);
    }

    if (ended == downed)
    {
        // How many others it saw unreachable itself: a node cut off from the rest downs itself as the minority with
        // all of them unreachable; one the others downed while its own failure detector still heard them sees none.
        answers.WriteLine($"downed {cluster.State.Unreachable.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Environment.Exit(3);
    }

    exitCode = 0;
}

// Terminating leaves the cluster first (Akka's coordinated shutdown); bounded, since the others may be gone already.
await system.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
Environment.Exit(exitCode);

static async Task SelfDownedAsync(Akka.Cluster.Cluster cluster)
{
    // The cluster's read view lags its callbacks and shows a member it does not know yet as Removed: see Up first.
    while (cluster.SelfMember.Status != MemberStatus.Up)
    {
        await Task.Delay(100);
    }

    while (cluster.SelfMember.Status is not (MemberStatus.Down or MemberStatus.Removed) && !cluster.IsTerminated)
    {
        await Task.Delay(100);
    }
}
