using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Akka.Event;

namespace WalActors.Logging;

/// <summary>One Akka log event as <see cref="WalLogger"/> stores it: a small UTF-8 JSON object per record.</summary>
/// <param name="Time">When the event was logged (UTC).</param>
/// <param name="Level">DEBUG, INFO, WARNING or ERROR.</param>
/// <param name="Source">The log source, usually the actor path.</param>
/// <param name="Class">The full name of the logging class.</param>
/// <param name="Thread">The managed thread id that logged.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception, with its stack trace, when there was one.</param>
public sealed record LogEventRecord(DateTime Time, string Level, string Source, string Class, int Thread, string Message, string? Exception)
{
    private static readonly string[] LevelNames = ["DEBUG", "INFO", "WARNING", "ERROR"];

    /// <summary>The record for an Akka <see cref="LogEvent"/>.</summary>
    internal static LogEventRecord From(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return new LogEventRecord(
            logEvent.Timestamp.ToUniversalTime(),
            LevelName(logEvent.LogLevel()),
            logEvent.LogSource ?? string.Empty,
            logEvent.LogClass?.FullName ?? string.Empty,
            logEvent.Thread?.ManagedThreadId ?? 0,
            logEvent.Message?.ToString() ?? string.Empty,
            logEvent.Cause?.ToString());
    }

    /// <summary>The rank of a level name (DEBUG 0 … ERROR 3), or -1 for a name that is not a level.</summary>
    internal static int Rank(string level) => Array.IndexOf(LevelNames, level.ToUpperInvariant());

    /// <summary>Reads a record written by <see cref="ToUtf8Json"/>; false for any other payload.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out LogEventRecord? record)
    {
        record = null;
        if (payload.IsEmpty || payload[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(payload.ToArray());
            var root = json.RootElement;
            if (!root.TryGetProperty("time", out var time) || !root.TryGetProperty("level", out var level) || !root.TryGetProperty("message", out var message))
            {
                return false;
            }

            record = new LogEventRecord(
                DateTime.Parse(time.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                level.GetString()!,
                root.TryGetProperty("source", out var source) ? source.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("class", out var cls) ? cls.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("thread", out var thread) ? thread.GetInt32() : 0,
                message.GetString() ?? string.Empty,
                root.TryGetProperty("exception", out var exception) ? exception.GetString() : null);
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The record's bytes as stored in the log.</summary>
    internal byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", Time.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("level", Level);
            writer.WriteString("source", Source);
            writer.WriteString("class", Class);
            writer.WriteNumber("thread", Thread);
            writer.WriteString("message", Message);
            if (Exception is not null)
            {
                writer.WriteString("exception", Exception);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One readable line: time, level, source, message (and the exception on following lines).</summary>
    public override string ToString()
    {
        var line = $"{Time:yyyy-MM-ddTHH:mm:ss.fffZ} {Level,-7} [{Source}] {Message}";
        return Exception is null ? line : line + Environment.NewLine + Exception;
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => "DEBUG",
        LogLevel.InfoLevel => "INFO",
        LogLevel.WarningLevel => "WARNING",
        _ => "ERROR",
    };
}
