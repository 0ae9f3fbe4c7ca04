using System.Buffers.Binary;
using FsCheck;
using FsCheck.Xunit;
using WalActors.Format;
using WalActors.Storage;

namespace WalActors.Tests.Format;

public sealed class FrameCodecTests
{
    private const int Max = 4096;

    [Property(MaxTest = 300)]
    public bool Any_payload_round_trips(byte[] payload, NonNegativeInt position, bool batchMiddle)
    {
        payload = payload.Length > Max ? payload[..Max] : payload;
        var lsn = (long)position.Get * FrameCodec.Alignment;
        var kind = batchMiddle ? FrameKind.Middle : FrameKind.Full;
        var store = new MemStore();
        store.WriteAt(lsn, Encode(lsn, kind, payload));

        using var scanner = new RecordScanner(store, lsn, store.Length, Max);
        return scanner.Next(out var record) == ScanStatus.Record
            && record.Lsn == lsn
            && record.Kind == kind
            && record.Payload.Span.SequenceEqual(payload)
            && record.FrameSize % FrameCodec.Alignment == 0
            && scanner.Next(out _) == ScanStatus.End;
    }

    [Property(MaxTest = 100)]
    public bool Zero_bytes_never_read_as_a_record(PositiveInt length, NonNegativeInt position)
    {
        var lsn = (long)position.Get * FrameCodec.Alignment;
        var store = new MemStore();
        store.WriteAt(lsn, new byte[Math.Min(length.Get, 10_000)]);
        using var scanner = new RecordScanner(store, lsn, store.Length, Max);
        return scanner.Next(out _) == ScanStatus.Invalid && scanner.Fault is FrameFault.Zeros or FrameFault.Short;
    }

    [Property(MaxTest = 60)]
    public void No_torn_prefix_of_a_frame_validates(byte[] payload, NonNegativeInt position)
    {
        payload = payload.Length > 600 ? payload[..600] : payload;
        var lsn = (long)position.Get * FrameCodec.Alignment;
        var frame = Encode(lsn, FrameKind.Full, payload);
        for (var cut = 0; cut < frame.Length; cut++)
        {
            // The store ending inside the frame.
            var shortStore = new MemStore();
            shortStore.WriteAt(lsn, frame.AsSpan(0, cut));
            using (var scanner = new RecordScanner(shortStore, lsn, shortStore.Length, Max))
            {
                Assert.NotEqual(ScanStatus.Record, scanner.Next(out _));
            }

            // The rest of the frame never written, as in preallocated space. Only if the lost suffix was
            // zeros anyway is the image the same frame, and then it may validate.
            var torn = (byte[])frame.Clone();
            torn.AsSpan(cut).Clear();
            var tornStore = new MemStore();
            tornStore.WriteAt(lsn, torn);
            using (var scanner = new RecordScanner(tornStore, lsn, tornStore.Length, Max))
            {
                if (scanner.Next(out _) == ScanStatus.Record)
                {
                    Assert.Equal(frame, torn);
                }
            }
        }
    }

    [Property(MaxTest = 40)]
    public void Any_single_flipped_bit_in_a_frame_is_detected(byte[] payload, NonNegativeInt position)
    {
        payload = payload.Length > 300 ? payload[..300] : payload;
        var lsn = (long)position.Get * FrameCodec.Alignment;
        var frame = Encode(lsn, FrameKind.Full, payload);
        for (var bit = 0; bit < frame.Length * 8; bit++)
        {
            var damaged = (byte[])frame.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            var store = new MemStore();
            store.WriteAt(lsn, damaged);
            using var scanner = new RecordScanner(store, lsn, store.Length, Max);
            Assert.NotEqual(ScanStatus.Record, scanner.Next(out _));
        }
    }

    [Fact]
    public void A_frame_read_at_another_position_fails_its_checksum_which_covers_its_lsn()
    {
        var frame = Encode(64, FrameKind.Full, [1, 2, 3], durableEnd: 0);
        var store = new MemStore();
        store.WriteAt(128, frame);
        using var scanner = new RecordScanner(store, 128, store.Length, Max);
        Assert.Equal(ScanStatus.Invalid, scanner.Next(out _));
        Assert.Equal(FrameFault.BadChecksum, scanner.Fault);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(4096L, 1024L)]
    [InlineData(4096L, 4096L)]
    [InlineData(5L * 1024 * 1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public void Every_frame_carries_the_durable_end_its_writer_knew(long lsn, long durableEnd)
    {
        var frame = Encode(lsn, FrameKind.Full, [7, 7], durableEnd);
        Assert.Equal(FrameFault.None, FrameCodec.CheckHeader(frame, lsn, Max, out _, out _, out var carried));
        Assert.True(FrameCodec.ChecksumMatches(frame, lsn));
        Assert.Equal(durableEnd, carried);
    }

    [Fact]
    public void A_durable_end_the_lag_field_cannot_hold_or_past_the_frame_is_refused_when_framing()
    {
        var frame = new byte[FrameCodec.FrameSize(1)];
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, 64, FrameKind.Full, [1], durableEnd: 72));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, 8L << 30, FrameKind.Full, [1], durableEnd: 0));
    }

    [Fact]
    public void A_lag_larger_than_the_lsn_is_an_invalid_header()
    {
        var frame = Encode(64, FrameKind.Full, [1], durableEnd: 0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), 72);
        Assert.Equal(FrameFault.BadHeader, FrameCodec.CheckHeader(frame, 64, Max, out _, out _));
    }

    [Fact]
    public void A_marker_round_trips_as_a_frame_without_payload()
    {
        var store = new MemStore();
        var frame = Encode(256, FrameKind.Marker, [], durableEnd: 256);
        Assert.Equal(FrameCodec.MarkerSize, frame.Length);
        store.WriteAt(256, frame);
        using var scanner = new RecordScanner(store, 256, store.Length, Max);
        Assert.Equal(ScanStatus.Record, scanner.Next(out var record));
        Assert.Equal((FrameKind.Marker, 256L, 0), (record.Kind, record.DurableEnd, record.Payload.Length));
    }

    [Fact]
    public void A_version_1_frame_stays_readable_and_carries_no_durable_end()
    {
        const long lsn = 4096;
        byte[] payload = [1, 2, 3, 4, 5];
        var frame = WalActors.Tests.Support.TestLog.EncodeVersion1(lsn, payload);
        var store = new MemStore();
        store.WriteAt(lsn, frame);

        using var scanner = new RecordScanner(store, lsn, store.Length, Max);
        Assert.Equal(ScanStatus.Record, scanner.Next(out var record));
        Assert.Equal(payload, record.Payload.ToArray());
        Assert.Equal(-1, record.DurableEnd);

        store.WriteAt(lsn + 64, frame);
        using var misplaced = new RecordScanner(store, lsn + 64, store.Length, Max);
        Assert.Equal(ScanStatus.Invalid, misplaced.Next(out _));
        Assert.Equal(FrameFault.BadHeader, misplaced.Fault);
    }

    [Theory]
    [InlineData(Max + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    public void A_corrupt_length_is_refused_before_anything_is_allocated_for_it(int declaredLength)
    {
        var frame = Encode(0, FrameKind.Full, [1, 2, 3, 4]);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), declaredLength);
        var store = new ReadCountingStore(new MemStore());
        store.WriteAt(0, frame);
        store.WriteAt(frame.Length, new byte[100_000]);

        using var scanner = new RecordScanner(store, 0, store.Length, Max, bufferSize: 256);

        Assert.Equal(ScanStatus.Invalid, scanner.Next(out _));
        Assert.Equal(FrameFault.TooLarge, scanner.Fault);
        Assert.True(store.LargestRead <= 256, $"the scanner asked for {store.LargestRead} bytes");
    }

    [Fact]
    public void A_frame_from_a_newer_format_version_is_recognised_as_such()
    {
        var frame = Encode(0, FrameKind.Full, [1]);
        frame[2] = FrameCodec.CurrentVersion + 1;
        Assert.Equal(FrameFault.FutureVersion, FrameCodec.CheckHeader(frame, 0, Max, out _, out _));
    }

    [Fact]
    public void Bytes_that_are_not_a_frame_header_are_told_apart_from_a_torn_one()
    {
        Assert.Equal(FrameFault.BadMagic, FrameCodec.CheckHeader("hello, world!!!!"u8, 0, Max, out _, out _));
        Assert.Equal(FrameFault.Short, FrameCodec.CheckHeader([(byte)'W', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, Max, out _, out _));
        Assert.Equal(FrameFault.Short, FrameCodec.CheckHeader([(byte)'W', (byte)'A', 1, 1], 0, Max, out _, out _));
    }

    private static byte[] Encode(long lsn, FrameKind kind, byte[] payload, long? durableEnd = null)
    {
        var frame = new byte[FrameCodec.FrameSize(payload.Length)];
        FrameCodec.Encode(frame, lsn, kind, payload, durableEnd ?? lsn - Math.Min(lsn, 4096));
        return frame;
    }

    private sealed class ReadCountingStore(IWalStore inner) : IWalStore
    {
        public int LargestRead { get; private set; }

        public long Length => inner.Length;

        public void WriteAt(long offset, ReadOnlySpan<byte> bytes) => inner.WriteAt(offset, bytes);

        public int ReadAt(long offset, Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            return inner.ReadAt(offset, buffer);
        }

        public void Truncate(long length) => inner.Truncate(length);

        public void Sync() => inner.Sync();

        public void Dispose() => inner.Dispose();
    }
}
