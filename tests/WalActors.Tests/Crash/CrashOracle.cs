using WalActors.Format;
using WalActors.Recovery;
using WalActors.Storage;
using WalActors.Tests.Support;

namespace WalActors.Tests.Crash;

/// <summary>
/// Recovers a crash image with the log's own recovery and judges the result against what was appended and acknowledged:
/// nothing acknowledged is lost, nothing is invented, batches are all-or-nothing, each producer's records form a prefix
/// of what it sent, in order, and recovering again changes nothing.
/// </summary>
internal sealed class CrashOracle(CrashWorkload workload, RecoveryOptions options)
{
    /// <summary>Runs recovery on a copy of <paramref name="image"/>; null (with a violation) if recovery refuses it.</summary>
    public RecoveredLog? Recover(byte[] image, List<string> violations)
    {
        var store = new MemStore(image);
        RecoveryReport report;
        try
        {
            report = LogRecovery.Recover(store, options, "crash image");
        }
        catch (WalException e)
        {
            violations.Add($"recovery refused a crash image: {e.Message}");
            return null;
        }

        return new RecoveredLog(store.ToArray(), report, TestLog.ReadAll(store, options.MaxRecordSize));
    }

    /// <summary>Recovers <paramref name="image"/> and adds to <paramref name="violations"/> every broken promise found.</summary>
    /// <param name="image">What the crash left.</param>
    /// <param name="seen">The acknowledgements the client had received when the crash came.</param>
    /// <param name="acknowledgedLsns">Every LSN ever acknowledged in this scenario, by payload: a record found elsewhere is an invention.</param>
    /// <param name="durableMeansWritten">Whether the log ran without barriers, so that Durable promised only Written.</param>
    /// <param name="previous">The log this generation started from, which must survive whole.</param>
    /// <param name="violations">Where broken promises go.</param>
    /// <param name="tally">What was checked, counted.</param>
    public RecoveredLog? Check(
        CrashImage image,
        IReadOnlyList<Acknowledgement> seen,
        IReadOnlyDictionary<PayloadTag, long> acknowledgedLsns,
        bool durableMeansWritten,
        RecoveredLog? previous,
        List<string> violations,
        CrashTally tally)
    {
        var log = Recover(image.Bytes, violations);
        if (log is null)
        {
            return null;
        }

        tally.Images++;
        tally.TornTails += log.Report.HadTornTail ? 1 : 0;
        CheckRecoveryPointAgrees(image, log, violations, tally);
        CheckRecoveryIsIdempotent(log, violations);
        CheckPreviousLogSurvives(log, previous, violations);
        var found = IdentifyRecords(log, acknowledgedLsns, violations);
        foreach (var acknowledgement in seen)
        {
            var promisedDurable = acknowledgement.Request.Durability == Durability.Durable && !durableMeansWritten;
            if (!image.IsPowerLoss || promisedDurable)
            {
                tally.AcknowledgementsChecked++;
                CheckSurvived(acknowledgement, found, log, violations);
            }
            else if (!found.ContainsKey(acknowledgement.Request.Tag(0)))
            {
                tally.WrittenLostToPowerLoss++;
            }
        }

        CheckBatchesAndProducerOrder(found, violations);
        return log;
    }

    /// <summary>Recovery from the recovery point the crash left must find exactly what the scan from the head found.</summary>
    private void CheckRecoveryPointAgrees(CrashImage image, RecoveredLog log, List<string> violations, CrashTally tally)
    {
        if (image.RecoveryPoint is null)
        {
            return;
        }

        using var store = new RecoveryPointImage(image.Bytes, image.RecoveryPoint);
        RecoveryReport report;
        try
        {
            report = LogRecovery.Recover(store, options with { UseRecoveryPoint = true }, "crash image with its recovery point");
        }
        catch (WalException e)
        {
            violations.Add($"recovery from the recovery point at LSN {image.RecoveryPoint.Value.End} refused what a scan from the head recovered ({log.Report}): {e.Message}");
            return;
        }

        tally.FromRecoveryPoint += report.ScanStart > report.Head ? 1 : 0;
        var full = log.Report;
        if (report.End != full.End || report.RecordCount != full.RecordCount || report.TruncatedAt != full.TruncatedAt
            || report.DroppedBytes != full.DroppedBytes || report.ClosedCleanly != full.ClosedCleanly || !store.ToArray().AsSpan().SequenceEqual(log.Bytes))
        {
            violations.Add($"recovery from the recovery point found {report}, a scan from the head {full}");
        }
    }

    private void CheckRecoveryIsIdempotent(RecoveredLog log, List<string> violations)
    {
        var again = new MemStore(log.Bytes);
        var second = LogRecovery.Recover(again, options, "recovered image");
        if (second.HadTornTail || second.End != log.Report.End || second.RecordCount != log.Report.RecordCount || !again.ToArray().AsSpan().SequenceEqual(log.Bytes))
        {
            violations.Add($"recovering the recovered log changed it: first {log.Report}, then {second}");
        }

        if (log.Report.RecordCount != log.Records.Count || log.Bytes.Length != log.Report.End)
        {
            violations.Add($"recovery reported {log.Report} but left {log.Records.Count} records in {log.Bytes.Length} bytes");
        }
    }

    private static void CheckPreviousLogSurvives(RecoveredLog log, RecoveredLog? previous, List<string> violations)
    {
        if (previous is null)
        {
            return;
        }

        var end = (int)previous.Report.End;
        if (log.Bytes.Length < end || !log.Bytes.AsSpan(0, end).SequenceEqual(previous.Bytes.AsSpan(0, end)))
        {
            violations.Add($"the log this life started from (LSN 0..{end}) did not survive whole: recovered {log.Report}");
        }
    }

    private Dictionary<PayloadTag, (long Lsn, WorkloadRequest Request, int Length)> IdentifyRecords(
        RecoveredLog log, IReadOnlyDictionary<PayloadTag, long> acknowledgedLsns, List<string> violations)
    {
        var found = new Dictionary<PayloadTag, (long, WorkloadRequest, int)>();
        foreach (var (lsn, payload) in log.Records)
        {
            if (!workload.TryIdentify(payload, out var tag, out var request))
            {
                violations.Add($"invented record: {payload.Length} bytes at LSN {lsn} match no appended payload");
                continue;
            }

            if (!found.TryAdd(tag, (lsn, request!, payload.Length)))
            {
                violations.Add($"{tag} is in the log twice, at LSN {found[tag].Item1} and {lsn}");
            }

            if (acknowledgedLsns.TryGetValue(tag, out var acknowledged) && acknowledged != lsn)
            {
                violations.Add($"{tag} was acknowledged at LSN {acknowledged} but is at LSN {lsn}");
            }
        }

        return found;
    }

    private static void CheckSurvived(
        Acknowledgement acknowledgement, Dictionary<PayloadTag, (long Lsn, WorkloadRequest Request, int Length)> found, RecoveredLog log, List<string> violations)
    {
        for (var i = 0; i < acknowledgement.Lsns.Count; i++)
        {
            var tag = acknowledgement.Request.Tag(i);
            if (!found.TryGetValue(tag, out var record) || record.Lsn != acknowledgement.Lsns[i])
            {
                violations.Add($"LOST: {acknowledgement.Request} record {i} was acknowledged at LSN {acknowledgement.Lsns[i]}, " +
                               $"but the recovered log ({log.Report}) does not hold it there");
            }
        }
    }

    private static void CheckBatchesAndProducerOrder(Dictionary<PayloadTag, (long Lsn, WorkloadRequest Request, int Length)> found, List<string> violations)
    {
        foreach (var request in found.Values.Select(r => r.Request).Distinct())
        {
            for (var i = 0; i < request.Payloads.Count; i++)
            {
                if (!found.TryGetValue(request.Tag(i), out var record))
                {
                    violations.Add($"batch torn: {request} has record {i} missing while others survived");
                    break;
                }

                if (i > 0 && found[request.Tag(i - 1)] is var before && before.Lsn + FrameCodec.FrameSize(before.Length) != record.Lsn)
                {
                    violations.Add($"batch scattered: {request} record {i} is at LSN {record.Lsn}, not right after record {i - 1}");
                }
            }
        }

        // Where each request starts in the log (a torn batch is reported above; order it by what survived).
        var starts = found.Values
            .GroupBy(r => r.Request)
            .Select(g => (Request: g.Key, Lsn: g.Min(r => r.Lsn)));
        foreach (var producer in starts.GroupBy(s => (s.Request.Generation, s.Request.Producer)))
        {
            var inLogOrder = producer.OrderBy(s => s.Lsn).Select(s => s.Request.Sequence).ToList();
            if (!inLogOrder.SequenceEqual(Enumerable.Range(0, inLogOrder.Count)))
            {
                violations.Add($"producer g{producer.Key.Generation}/p{producer.Key.Producer}: the log holds its requests " +
                               $"[{string.Join(',', inLogOrder)}], not a prefix of what it sent, in order");
            }
        }
    }
}
