namespace WalActors.Host.Output;

/// <summary>How the record-printing commands (dump, tail) print each record.</summary>
internal enum RecordFormat
{
    /// <summary>One line a record, for people and for cut/awk: tab-separated fields.</summary>
    Text,

    /// <summary>One JSON object a line, every byte of the payload kept (base64).</summary>
    Jsonl,
}
