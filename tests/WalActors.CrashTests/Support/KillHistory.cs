using System.Text;

namespace WalActors.CrashTests.Support;

/// <summary>
/// What the kill test fed each run of <c>walactors append</c>, what each printed as acknowledged, and what the log held
/// after the previous kill; judges a dump against all of it.
/// </summary>
internal sealed class KillHistory
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, (int Round, long Line)> _fed = new(StringComparer.Ordinal);
    private readonly List<(int Round, long Line, long Lsn)> _acknowledged = [];
    private int _round;

    /// <summary>The records the log held at the last check.</summary>
    public IReadOnlyList<DumpedRecord> Records { get; private set; } = [];

    /// <summary>How many acknowledgements every later check verifies.</summary>
    public int Acknowledged => _acknowledged.Count;

    public void Feed(int round, IReadOnlyList<string> lines)
    {
        _round = round;
        for (var i = 0; i < lines.Count; i++)
        {
            _fed.Add(lines[i], (round, i + 1));
        }
    }

    public void Acknowledge(int round, IReadOnlyList<(long Line, long Lsn)> acknowledged) =>
        _acknowledged.AddRange(acknowledged.Select(a => (round, a.Line, a.Lsn)));

    /// <summary>Every broken promise in <paramref name="records"/>; they become what later checks compare with.</summary>
    public List<string> Check(IReadOnlyList<DumpedRecord> records)
    {
        var problems = new List<string>();
        var origins = IdentifyInOrder(records, problems);
        foreach (var (round, line, lsn) in _acknowledged)
        {
            if (!origins.TryGetValue(lsn, out var found) || found != (round, line))
            {
                problems.Add($"LOST: round {round} line {line} was acknowledged at LSN {lsn}, but the log holds " +
                             (found == default ? "no record there" : $"round {found.Round} line {found.Line} there"));
            }
        }

        // A later run recovers what an earlier one left, cutting only its torn tail: the records themselves never change.
        var previous = Records;
        if (records.Count < previous.Count || !records.Zip(previous).All(p => p.First.Lsn == p.Second.Lsn && p.First.Payload.AsSpan().SequenceEqual(p.Second.Payload)))
        {
            problems.Add($"the {previous.Count} records earlier runs left did not survive unchanged");
        }
        else if (records.Skip(previous.Count).FirstOrDefault(r => origins.GetValueOrDefault(r.Lsn).Round != _round) is { } stray)
        {
            problems.Add($"the record at LSN {stray.Lsn} appeared after its own run had been checked");
        }

        Records = records;
        return problems;
    }

    /// <summary>
    /// Finds which fed line each record is. Each run appends its lines in order after all an earlier run left, so the log
    /// must read round by round, each round's lines 1, 2, 3… without a gap (a round may have none).
    /// </summary>
    private Dictionary<long, (int Round, long Line)> IdentifyInOrder(IReadOnlyList<DumpedRecord> records, List<string> problems)
    {
        var origins = new Dictionary<long, (int Round, long Line)>();
        (int Round, long Line) last = (0, 0);
        foreach (var record in records)
        {
            if (!TryDecode(record.Payload, out var text) || !_fed.TryGetValue(text, out var origin))
            {
                problems.Add($"invented record: the {record.Payload.Length} bytes at LSN {record.Lsn} are no line that was fed");
                continue;
            }

            var next = origin.Round == last.Round ? origin.Line == last.Line + 1 : origin.Round > last.Round && origin.Line == 1;
            if (!next)
            {
                problems.Add($"round {origin.Round} line {origin.Line} at LSN {record.Lsn} follows round {last.Round} line {last.Line}: " +
                             "the log is not each run's lines in order, without gaps or repeats");
            }

            origins[record.Lsn] = origin;
            last = origin;
        }

        return origins;
    }

    private static bool TryDecode(byte[] payload, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(payload);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
