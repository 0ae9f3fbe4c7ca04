namespace WalActors.Tests.Persistence;

/// <summary>An event the JSON serializer cannot write: reading its property throws.</summary>
public sealed class NotSerializable
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The serializer reads instance properties: that is where it must fail.")]
    public string Value => throw new InvalidOperationException("this event cannot be serialized");
}
