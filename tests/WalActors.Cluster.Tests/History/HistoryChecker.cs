using System.Globalization;

namespace WalActors.Cluster.Tests.History;

/// <summary>
/// Checks a history of persists and reads against the journal's promise, per persistence id: every event acknowledged
/// before a read began is in that read, at the sequence number it was acknowledged with (none lost, none moved); a read
/// numbers its events 1, 2, 3, … (no gap, no reordering) and shows no value twice; and a read shows everything an
/// earlier finished read showed, in the same places (what was read once stays). Events never acknowledged (a timeout,
/// a killed node) may appear or not, but once only. "Before" is this checker's own clock: take <see cref="Now"/> before
/// sending a read, and record an acknowledgement when it arrives. Thread-safe: clients record concurrently.
/// </summary>
public sealed class HistoryChecker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Acknowledgement>> _acknowledged = new(StringComparer.Ordinal);
    private readonly List<Read> _reads = [];
    private long _clock;
    private int _failovers;

    /// <summary>A tick of the checker's clock: later than everything recorded so far.</summary>
    public long Now() => Interlocked.Increment(ref _clock);

    /// <summary>The journal acknowledged <paramref name="value"/> as event <paramref name="sequenceNr"/> of <paramref name="persistenceId"/>.</summary>
    public void Acknowledged(string persistenceId, long sequenceNr, string value)
    {
        var at = Now();
        lock (_lock)
        {
            if (!_acknowledged.TryGetValue(persistenceId, out var acknowledgements))
            {
                _acknowledged[persistenceId] = acknowledgements = [];
            }

            acknowledgements.Add(new Acknowledgement(new HistoryEvent(sequenceNr, value), at));
        }
    }

    /// <summary>A read of <paramref name="persistenceId"/> begun at <paramref name="begunAt"/> (a <see cref="Now"/>) answered <paramref name="events"/>.</summary>
    public void ReadAnswered(string persistenceId, long begunAt, IReadOnlyList<HistoryEvent> events)
    {
        var at = Now();
        lock (_lock)
        {
            _reads.Add(new Read(persistenceId, begunAt, at, events));
        }
    }

    /// <summary>Counts one failover (a node killed and its shards serving again elsewhere).</summary>
    public void Failover() => Interlocked.Increment(ref _failovers);

    /// <summary>Checks everything recorded so far.</summary>
    public HistoryVerdict Check()
    {
        lock (_lock)
        {
            var violations = new List<HistoryViolation>();
            var checkedAcknowledgements = new HashSet<Acknowledgement>();
            foreach (var (id, acknowledgements) in _acknowledged)
            {
                CheckAcknowledgements(id, acknowledgements, violations);
            }

            var readsById = _reads.GroupBy(read => read.PersistenceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            foreach (var (id, reads) in readsById)
            {
                var acknowledgements = _acknowledged.GetValueOrDefault(id) ?? [];
                foreach (var read in reads)
                {
                    CheckNumbering(read, violations);
                    CheckAcknowledged(read, acknowledgements, checkedAcknowledgements, violations);
                    CheckEarlierReads(read, reads, violations);
                }
            }

            return new HistoryVerdict(_failovers, _acknowledged.Values.Sum(a => a.Count), checkedAcknowledgements.Count, _reads.Count, violations);
        }
    }

    /// <summary>No sequence number acknowledged twice, no value acknowledged twice.</summary>
    private static void CheckAcknowledgements(string id, List<Acknowledgement> acknowledgements, List<HistoryViolation> violations)
    {
        foreach (var twice in acknowledgements.GroupBy(a => a.Event.SequenceNr).Where(g => g.Count() > 1))
        {
            violations.Add(new(ViolationKind.Duplicate, Text($"{id}: sequence number {twice.Key} acknowledged {twice.Count()} times ({string.Join(", ", twice.Select(a => a.Event.Value))})")));
        }

        foreach (var twice in acknowledgements.GroupBy(a => a.Event.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            violations.Add(new(ViolationKind.Duplicate, Text($"{id}: value {twice.Key} acknowledged {twice.Count()} times")));
        }
    }

    /// <summary>Events numbered 1, 2, 3, … in order, each value once.</summary>
    private static void CheckNumbering(Read read, List<HistoryViolation> violations)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < read.Events.Count; i++)
        {
            var (sequenceNr, value) = read.Events[i];
            if (sequenceNr != i + 1)
            {
                var what = sequenceNr > i + 1 ? "a gap" : "out of order";
                violations.Add(new(sequenceNr > i + 1 ? ViolationKind.Gap : ViolationKind.Reordered, Text($"{read}: event {i + 1} has sequence number {sequenceNr} ({what})")));
            }

            if (!seen.TryAdd(value, sequenceNr))
            {
                violations.Add(new(ViolationKind.Duplicate, Text($"{read}: {value} appears twice (sequence numbers {seen[value]} and {sequenceNr})")));
            }
        }
    }

    /// <summary>Every event acknowledged before the read began is in it, where it was acknowledged; none is anywhere else.</summary>
    private static void CheckAcknowledged(Read read, List<Acknowledgement> acknowledgements, HashSet<Acknowledgement> checkedAcknowledgements, List<HistoryViolation> violations)
    {
        var positions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (sequenceNr, value) in read.Events)
        {
            positions.TryAdd(value, sequenceNr);
        }

        foreach (var acknowledgement in acknowledgements)
        {
            var (sequenceNr, value) = acknowledgement.Event;
            var found = positions.TryGetValue(value, out var at);
            if (found && at != sequenceNr)
            {
                violations.Add(new(ViolationKind.Reordered, Text($"{read}: {value}, acknowledged as event {sequenceNr}, is event {at} (reordered)")));
            }
            else if (acknowledgement.At < read.BegunAt)
            {
                if (!found)
                {
                    violations.Add(new(ViolationKind.Lost, Text($"{read}: {value}, acknowledged as event {sequenceNr}, is missing (lost)")));
                }
                else
                {
                    checkedAcknowledgements.Add(acknowledgement);
                }
            }
        }
    }

    /// <summary>What a read that finished before this one began showed is still there, in the same places.</summary>
    private static void CheckEarlierReads(Read read, List<Read> reads, List<HistoryViolation> violations)
    {
        // Against the longest earlier read only: reads that pass this check are prefixes of one another.
        var earlier = reads.Where(r => r.AnsweredAt < read.BegunAt).MaxBy(r => r.Events.Count);
        if (earlier is null)
        {
            return;
        }

        for (var i = 0; i < earlier.Events.Count; i++)
        {
            if (i >= read.Events.Count || read.Events[i] != earlier.Events[i])
            {
                var now = i < read.Events.Count ? read.Events[i].Value : "nothing";
                violations.Add(new(ViolationKind.Rewound, Text($"{read}: event {i + 1} is {now}, an earlier read ({earlier}) showed {earlier.Events[i].Value}")));
                return;
            }
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Acknowledgement(HistoryEvent Event, long At);

    private sealed record Read(string PersistenceId, long BegunAt, long AnsweredAt, IReadOnlyList<HistoryEvent> Events)
    {
        public override string ToString() => Text($"{PersistenceId} read at {BegunAt}-{AnsweredAt} ({Events.Count} events)");
    }
}
