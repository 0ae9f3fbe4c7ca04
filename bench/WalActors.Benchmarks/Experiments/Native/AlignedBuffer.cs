using System.Runtime.InteropServices;

namespace WalActors.Benchmarks.Experiments.Native;

/// <summary>Native memory aligned for direct I/O (4 KiB: the page size, a multiple of any logical block size here), zeroed.</summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    public const int Alignment = 4096;

    public AlignedBuffer(int length)
    {
        Length = (length + Alignment - 1) / Alignment * Alignment;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Length, Alignment);
        NativeMemory.Clear(Pointer, (nuint)Length);
    }

    public byte* Pointer { get; private set; }

    public int Length { get; }

    public Span<byte> Span => new(Pointer, Length);

    public void Dispose()
    {
        if (Pointer != null)
        {
            NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
    }
}
