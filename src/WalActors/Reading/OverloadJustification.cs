namespace WalActors.Reading;

/// <summary>Why some public overloads carry optional parameters on both sides (RS0026 is suppressed for them).</summary>
internal static class OverloadJustification
{
    public const string ConsumerTail =
        "The overloads differ in the type of their first, required parameter (an Lsn or a consumer's name), so no call binds ambiguously and adding one breaks no caller.";
}
