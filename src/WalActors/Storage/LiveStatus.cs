using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace WalActors.Storage;

/// <summary>
/// The small file a writing process keeps in its log's directory, so that read-only tools in other processes know a
/// writer is there and how far the log is durable: bytes past that point may still be in flight, not torn.
/// </summary>
/// <remarks>
/// <para>One fixed-length line, rewritten in place with one positioned write and never synced: it is advice for readers,
/// not part of the log, and a crash that loses it loses nothing. The line carries a checksum, so a reader that catches a
/// rewrite half done ignores it.</para>
/// <para>The writer is identified by process id and start time, so a stale file left by a killed process, or a reused
/// process id, never passes for a live writer.</para>
/// </remarks>
internal sealed record LiveStatus(int ProcessId, long ProcessStartTicks, long DurableEnd)
{
    public const string FileName = "walactors.status";
    private const string Magic = "walactors-status";

    /// <summary>This process, writing a log durable to <paramref name="durableEnd"/>.</summary>
    public static LiveStatus ForThisProcess(long durableEnd)
    {
        using var process = Process.GetCurrentProcess();
        return new LiveStatus(process.Id, process.StartTime.ToUniversalTime().Ticks, durableEnd);
    }

    /// <summary>The status a live writer publishes in <paramref name="directory"/>, or null when there is none (no file, a stale one, or one being rewritten).</summary>
    public static LiveStatus? ReadLive(string directory)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(directory, FileName), Encoding.ASCII);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var status = Parse(text);
        return status is not null && status.WriterIsAlive() ? status : null;
    }

    /// <summary>Writes this status over the file behind <paramref name="handle"/>.</summary>
    public void WriteTo(SafeFileHandle handle, string path) =>
        PositionedIO.WriteAll(handle, 0, Encoding.ASCII.GetBytes(Format()), path);

    private string Format()
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{Magic} pid={ProcessId:D10} started={ProcessStartTicks:D20} durable={DurableEnd:D20}");
        return string.Create(CultureInfo.InvariantCulture, $"{body} crc={Checksum(body):x8}\n");
    }

    private static LiveStatus? Parse(string text)
    {
        var line = text.TrimEnd('\n');
        var crcAt = line.LastIndexOf(" crc=", StringComparison.Ordinal);
        if (!line.StartsWith(Magic, StringComparison.Ordinal) || crcAt < 0)
        {
            return null;
        }

        var body = line[..crcAt];
        if (!uint.TryParse(line.AsSpan(crcAt + 5), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var crc) || crc != Checksum(body))
        {
            return null;
        }

        var fields = body[Magic.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim(), StringComparer.Ordinal);
        return fields.TryGetValue("pid", out var pid) && int.TryParse(pid, CultureInfo.InvariantCulture, out var processId)
            && fields.TryGetValue("started", out var started) && long.TryParse(started, CultureInfo.InvariantCulture, out var startTicks)
            && fields.TryGetValue("durable", out var durable) && long.TryParse(durable, CultureInfo.InvariantCulture, out var durableEnd)
            ? new LiveStatus(processId, startTicks, durableEnd)
            : null;
    }

    private bool WriterIsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && Math.Abs(process.StartTime.ToUniversalTime().Ticks - ProcessStartTicks) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static uint Checksum(string body) => System.IO.Hashing.Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body));
}
