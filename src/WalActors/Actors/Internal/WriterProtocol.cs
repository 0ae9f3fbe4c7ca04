namespace WalActors.Actors.Internal;

/// <summary>A writer has handed its batch on and can take the next one. The facade knows which writer by the sender.</summary>
internal sealed class WriterIdle
{
    public static readonly WriterIdle Instance = new();

    private WriterIdle()
    {
    }
}

/// <summary>A batch could not be written (a failed write, or a refused reservation): none of it may be acknowledged.</summary>
internal sealed record WriteFailed(WriteBatch Batch, WalException Reason);
