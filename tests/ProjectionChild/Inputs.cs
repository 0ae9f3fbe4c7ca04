using Akka.Actor;

namespace WalActors.ProjectionChild;

/// <summary>Writes the input events: event i under persistence id "input-(i mod 8)", ten at a time per id.</summary>
internal static class Inputs
{
    public const int Ids = 8;

    public static async Task WriteAsync(ActorSystem system, int from, int count, TimeSpan patience, TextWriter? progress = null)
    {
        var writers = Enumerable.Range(0, Ids).Select(k => system.ActorOf(Props.Create(() => new InputWriter($"input-{k}")))).ToList();
        for (var start = from; start < from + count; start += 10 * Ids)
        {
            var end = Math.Min(from + count, start + (10 * Ids));
            await Task.WhenAll(writers.Select((writer, k) =>
                writer.Ask<int>(Enumerable.Range(start, end - start).Where(i => i % Ids == k).Select(i => $"e-{i}").ToArray(), patience)));
            progress?.WriteLine($"written {end}");
        }

        foreach (var writer in writers)
        {
            writer.Tell(PoisonPill.Instance);
        }
    }
}
