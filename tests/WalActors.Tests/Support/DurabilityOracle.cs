using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Tests.Support;

/// <summary>Checks an acknowledgement against a durable image: the record, and every record before it, must be there intact.</summary>
public static class DurabilityOracle
{
    /// <summary>Fails unless <paramref name="image"/> holds valid records from 0 through the one at <paramref name="lsn"/>, with that payload.</summary>
    public static void AssertDurable(byte[] image, long lsn, ReadOnlySpan<byte> payload)
    {
        var store = new MemStore(image);
        using var scanner = new RecordScanner(store, 0, store.Length, TestLog.MaxRecordSize);
        while (true)
        {
            var status = scanner.Next(out var record);
            Assert.True(status == ScanStatus.Record,
                $"LSN {lsn} was acknowledged, but the durable image holds no valid record at {scanner.Position} ({scanner.Fault})");
            if (record.Lsn == lsn)
            {
                Assert.True(record.Payload.Span.SequenceEqual(payload), $"The durable record at LSN {lsn} has other bytes than were appended");
                return;
            }

            Assert.True(record.Lsn < lsn, $"No record starts at acknowledged LSN {lsn}");
        }
    }
}
