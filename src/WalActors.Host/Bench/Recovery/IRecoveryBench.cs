namespace WalActors.Host.Bench.Recovery;

/// <summary>Times one system's opening of an existing log of many small records, validating every one.</summary>
internal interface IRecoveryBench
{
    /// <summary>The system's name in the recovery rows.</summary>
    string System { get; }

    /// <summary>Writes <paramref name="records"/> records of <paramref name="payloadSize"/> bytes into a new log in <paramref name="directory"/>.</summary>
    Task BuildAsync(string directory, long records, int payloadSize);

    /// <summary>Opens the log built in <paramref name="directory"/> and reports how long it took until every record was validated.</summary>
    Task<RecoveryMeasurement> MeasureAsync(string directory);
}
