namespace WalActors;

/// <summary>Which events of a journal a projection handles: by tag, of one persistence id, or all of them (live queries).</summary>
public sealed record ProjectionQuery
{
    private ProjectionQuery(string? tag, string? persistenceId)
    {
        Tag = tag;
        PersistenceId = persistenceId;
    }

    /// <summary>Every event, in log order.</summary>
    public static ProjectionQuery AllEvents { get; } = new(null, null);

    /// <summary>The tag this query follows, or null.</summary>
    public string? Tag { get; }

    /// <summary>The persistence id this query follows, or null.</summary>
    public string? PersistenceId { get; }

    /// <summary>The events tagged <paramref name="tag"/>, in log order.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is null or empty.</exception>
    public static ProjectionQuery ByTag(string tag) =>
        string.IsNullOrEmpty(tag) ? throw new ArgumentException("A projection by tag needs a tag.", nameof(tag)) : new(tag, null);

    /// <summary>The events of <paramref name="persistenceId"/>, in sequence-number order.</summary>
    /// <exception cref="ArgumentException"><paramref name="persistenceId"/> is null or empty.</exception>
    public static ProjectionQuery ByPersistenceId(string persistenceId) =>
        string.IsNullOrEmpty(persistenceId) ? throw new ArgumentException("A projection by persistence id needs one.", nameof(persistenceId)) : new(null, persistenceId);

    /// <inheritdoc />
    public override string ToString() => Tag is { } tag ? $"tag '{tag}'" : PersistenceId is { } id ? $"persistence id '{id}'" : "all events";
}
