namespace WalActors.Tests.Persistence;

/// <summary>An event the JSON serializer cannot write: reading its property throws.</summary>
public sealed class NotSerializable
{
    public string Value => throw new InvalidOperationException("this event cannot be serialized");
}
