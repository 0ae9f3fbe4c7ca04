using Akka.Configuration;
using WalActors.Persistence;

namespace WalActors.Tests.Persistence;

/// <summary>An actor system's configuration with the WalActors journal as the default, over a small log in <c>directory</c>.</summary>
public static class PersistenceConfig
{
    public static Config For(string directory, string extra = "") =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            # Generous: this machine's disk is shared, and a barrier can wait seconds behind other processes' flushes.
            akka.test.single-expect-default = 30s
            akka.persistence.publish-plugin-commands = on
            akka.persistence.journal.plugin = "walactors.persistence.journal"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            walactors.persistence.journal {
              directory = "{{directory.Replace("\\", "\\\\")}}"
              segment-size = 1 MiB
              circuit-breaker.call-timeout = 60s
            }
            akka.actor {
              serializers.test-payload = "WalActors.Tests.Persistence.TestPayloadSerializer, WalActors.Tests"
              serializers.test-manifest = "WalActors.Tests.Persistence.TypeManifestSerializer, WalActors.Tests"
              serialization-bindings {
                "WalActors.Tests.Persistence.TestPayload, WalActors.Tests" = test-payload
                "WalActors.Tests.Persistence.ManifestedEvent, WalActors.Tests" = test-manifest
              }
            }
            {{extra}}
            """)
            .WithFallback(WalPersistence.DefaultConfig())
            .WithFallback(WalConfig.Defaults);
}
