using System.Buffers;
using System.Globalization;
using System.Text;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Recovery;

/// <summary>
/// Copies every valid record that lies past damage into a side file before salvage cuts the log there, so nothing valid
/// is thrown away silently. One JSON object per line: <c>{"lsn":N,"kind":"full","payload":"base64"}</c>.
/// </summary>
/// <remarks>
/// Past damage the frames no longer follow each other, so the export resynchronises: it reads valid frames one after
/// another and, at an invalid one, probes the aligned positions after it for the next valid frame. A frame validates
/// only at the position it was written at (its checksum covers its LSN), so stale or displaced bytes are never exported.
/// </remarks>
internal static class SalvageExport
{
    /// <summary>The side file's name for damage at <paramref name="damageAt"/>.</summary>
    public static string FileName(long damageAt) => string.Create(CultureInfo.InvariantCulture, $"salvaged-from-{damageAt}.jsonl");

    /// <summary>Writes the valid records in [<paramref name="from"/>, <paramref name="to"/>) to <paramref name="file"/>, durably; returns how many.</summary>
    public static long Export(IWalStore store, long from, long to, int maxRecordSize, string file)
    {
        var pending = file + SegmentFileNames.PendingExtension;
        long count = 0;
        try
        {
            using (var output = new FileStream(pending, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                foreach (var (lsn, kind, payload) in ValidFrames(store, from, to, maxRecordSize))
                {
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"lsn\":{lsn},\"kind\":\"{KindName(kind)}\",\"payload\":\""));
                    writer.Write(Convert.ToBase64String(payload));
                    writer.Write("\"}\n");
                    count++;
                }

                writer.Flush();
                output.Flush(flushToDisk: true);
            }

            File.Move(pending, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SegmentFile.TryDelete(pending);
            throw StoreErrors.Wrap("exporting the records past damage", file, e);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            DurabilityBarrier.FlushDirectory(directory);
        }

        return count;
    }

    /// <summary>Every valid frame in [<paramref name="from"/>, <paramref name="to"/>), resynchronising past invalid bytes; markers left out.</summary>
    public static IEnumerable<(long Lsn, FrameKind Kind, byte[] Payload)> ValidFrames(IWalStore store, long from, long to, int maxRecordSize)
    {
        long? next = LogAnalyzer.FindNextValidFrame(store, from, to, maxRecordSize);
        while (next is { } start)
        {
            using var scanner = new RecordScanner(store, start, to, maxRecordSize);
            while (scanner.Next(out var record) == ScanStatus.Record)
            {
                if (record.Kind != FrameKind.Marker)
                {
                    yield return (record.Lsn, record.Kind, record.Payload.ToArray());
                }
            }

            next = scanner.Position < to ? LogAnalyzer.FindNextValidFrame(store, scanner.Position + FrameCodec.Alignment, to, maxRecordSize) : null;
        }
    }

    private static string KindName(FrameKind kind) => kind switch
    {
        FrameKind.First => "batch-first",
        FrameKind.Middle => "batch-middle",
        FrameKind.Last => "batch-last",
        FrameKind.Commit => "commit",
        _ => "full",
    };
}
