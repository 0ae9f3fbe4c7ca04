// A fresh console app's first use of the WalActors package, built and run by .ci/run against the package it just
// packed: append a record, read it back, stop cleanly. It uses only the public API, as a new user would.
using System.Text;
using Akka.Actor;
using WalActors;

var directory = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), $"walactors-consumer-{Guid.NewGuid():N}");
using var system = ActorSystem.Create("consumer", WalConfig.Defaults);
var log = WriteAheadLog.Start(system, new WalOptions { Directory = directory });
IWalClient client = new WalClient(system, log);
await client.Ready;

var lsn = await client.AppendAsync(Encoding.UTF8.GetBytes("hello from a fresh app"));
var page = await client.ReadAsync(lsn, maxRecords: 1);
await WriteAheadLog.StopAsync(log, TimeSpan.FromSeconds(30));
await system.Terminate();

var text = page.Records.Count == 1 ? Encoding.UTF8.GetString(page.Records[0].Payload.Span) : "(nothing)";
Console.WriteLine($"appended at LSN {lsn}, read back: {text}");
return text == "hello from a fresh app" ? 0 : 1;
