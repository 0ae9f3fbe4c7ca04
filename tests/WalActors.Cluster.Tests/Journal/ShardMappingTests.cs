using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using WalActors.Cluster.Journal;

namespace WalActors.Cluster.Tests.Journal;

/// <summary>The default persistence id → shard mapping, the ledger ensemble and the journal's settings.</summary>
public sealed class ShardMappingTests
{
    [Fact]
    public void The_default_mapping_gives_the_shard_HashCodeMessageExtractor_gives()
    {
        foreach (var shards in new[] { 1, 10, 100, 1000 })
        {
            var extractor = HashCodeMessageExtractor.Create(shards, m => (string)m);
            for (var i = 0; i < 500; i++)
            {
                var entity = $"entity-{i * 7919}";
                Assert.Equal(extractor.ShardId(entity), DefaultShardMapping.Locate($"orders|{entity}", shards).ShardId);
            }
        }

        Assert.Equal(new ShardLocation("orders", DefaultShardMapping.ShardOf("a|b", 10)), DefaultShardMapping.Locate("orders|a|b", 10));
        Assert.Throws<ArgumentException>(() => DefaultShardMapping.Locate("no-separator", 10));
        Assert.Throws<ArgumentException>(() => DefaultShardMapping.Locate("|entity", 10));
    }

    [Fact]
    public void A_ledger_id_is_a_valid_actor_name_and_tells_type_and_shard_apart()
    {
        var id = new ShardLocation("my type/x", "1+2").LedgerId;
        Assert.True(ActorPath.IsValidPathElement(id), id);
        Assert.NotEqual(new ShardLocation("a+b", "c").LedgerId, new ShardLocation("a", "b+c").LedgerId);
        Assert.Equal("sys-shard-orders-7", new ShardLocation("orders", "7").LeaseName("sys"));
    }

    [Fact]
    public void Every_node_computes_the_same_followers_and_never_the_owner()
    {
        var members = Enumerable.Range(0, 7).Select(i => new Address("akka.tcp", "sys", "127.0.0.1", 4000 + i)).ToList();
        var shuffled = members.OrderBy(m => m.Port % 3).ThenByDescending(m => m.Port).ToList();
        var moved = 0;
        for (var l = 0; l < 200; l++)
        {
            var ledger = $"orders+{l}";
            var followers = LedgerEnsemble.FollowersOf(ledger, members[0], members, 3);
            Assert.Equal(followers, LedgerEnsemble.FollowersOf(ledger, members[0], shuffled, 3));
            Assert.Equal(2, followers.Distinct().Count());
            Assert.DoesNotContain(members[0], followers);

            // A member leaving moves only the ledgers it was a follower of.
            var without = LedgerEnsemble.FollowersOf(ledger, members[0], members.Where(m => m != members[6]), 3);
            moved += followers.SequenceEqual(without) ? 0 : 1;
            Assert.Equal(followers.Contains(members[6]), !followers.SequenceEqual(without));
        }

        Assert.InRange(moved, 1, 199);
        Assert.Empty(LedgerEnsemble.FollowersOf("l", members[0], [members[0]], 3));
    }

    [Fact]
    public void Settings_out_of_range_fail_naming_their_key()
    {
        static string Fail(string hocon) => Assert.Throws<ArgumentException>(() =>
            ClusterJournalSettings.From(ConfigurationFactory.ParseString(hocon))).Message;

        Assert.Contains("walactors.cluster.journal.write-quorum", Fail("walactors.cluster.journal { replicas = 2, write-quorum = 3 }"));
        Assert.Contains("walactors.cluster.journal.replicas", Fail("walactors.cluster.journal.replicas = 0"));
        Assert.Contains("walactors.cluster.journal.number-of-shards", Fail("walactors.cluster.journal.number-of-shards = 0"));
        var defaults = ClusterJournalSettings.From(ConfigurationFactory.Empty);
        Assert.Equal((3, 2, TimeSpan.FromSeconds(10)), (defaults.Replicas, defaults.WriteQuorum, defaults.Timeout));
        Assert.Equal(64L * 1024 * 1024, defaults.LedgerLog.SegmentSize);
    }
}
