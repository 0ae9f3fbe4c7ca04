namespace WalActors.Tests.Persistence;

/// <summary>An event whose serializer needs the type manifest to read it back.</summary>
public sealed record ManifestedEvent(string Text);
