using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchitectureModel = ArchUnitNET.Domain.Architecture;

namespace WalActors.Tests.Architecture;

/// <summary>
/// The layers of <c>src/WalActors/</c> (one folder each) and the one direction their references may run: a layer names
/// only layers below it. Persistence and Logging are side by side: neither names the other.
/// </summary>
public sealed class LayerTests
{
    // Bottom to top; layers of one rank may not name each other.
    private static readonly (string Layer, int Rank)[] Layers =
    [
        ("Errors", 0),
        ("Storage", 1),
        ("Format", 2),
        ("Recovery", 3),
        ("Compaction", 4),
        ("Actors", 5),
        ("Reading", 6),
        ("Streams", 7),
        ("Persistence", 8),
        ("Logging", 8),
        ("Projections", 9),
        ("Cluster", 10),
        ("Hosting", 11),
    ];

    private static readonly Lazy<ArchitectureModel> Model = new(() => new ArchLoader().LoadAssemblies(typeof(WriteAheadLog).Assembly).Build());
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlySet<string>>> Folders = new(() => SourceFolders.Of(typeof(WriteAheadLog).Assembly));

    public static TheoryData<string> LayerNames() => [.. Layers.Select(l => l.Layer)];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_names_no_layer_above_it_nor_one_beside_it(string layer)
    {
        var rank = Rank(layer);
        var above = Layers.Where(l => l.Rank >= rank && l.Layer != layer).Select(l => l.Layer).ToHashSet();
        var rule = Types().That().FollowCustomPredicate(t => LayerOf(t) == layer, $"are in {layer}/")
            .Should().NotDependOnAny(Types().That().FollowCustomPredicate(t => LayerOf(t) is { } other && above.Contains(other),
                $"are in {string.Join(", ", above.Order())}"));

        rule.Check(Model.Value);
    }

    [Fact]
    public void Every_type_of_the_library_was_compiled_from_one_layers_folder()
    {
        var strays = Folders.Value
            .Where(p => IsSourceType(p.Key) && (p.Value.Count != 1 || Rank(p.Value.Single()) < 0))
            .Select(p => $"{p.Key}: {(p.Value.Count == 0 ? "no source folder" : string.Join(", ", p.Value))}")
            .ToList();

        Assert.True(strays.Count == 0, string.Join(Environment.NewLine, strays));
        Assert.True(Folders.Value.Count(p => IsSourceType(p.Key)) > 100, "the PDB named too few types: the mapping is broken");
    }

    [Fact]
    public void Namespaces_follow_folders_and_only_the_public_face_lives_in_the_root_namespace()
    {
        var wrong = new List<string>();
        foreach (var type in typeof(WriteAheadLog).Assembly.GetTypes().Where(t => !t.IsNested && IsSourceType(t.FullName!)))
        {
            var folder = Folders.Value[Key(type.FullName!)].Single();
            var ns = type.Namespace ?? "";
            var ownNamespace = ns == $"WalActors.{folder}" || ns.StartsWith($"WalActors.{folder}.", StringComparison.Ordinal);
            var faceNamespace = ns == "WalActors" && type.IsPublic;
            if (!ownNamespace && !faceNamespace)
            {
                wrong.Add($"{type.FullName} ({(type.IsPublic ? "public" : "internal")}, in {folder}/)");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void The_rules_see_real_references_so_they_can_fail()
    {
        // A rule over types that reference nothing would pass whatever the code did: prove the references are seen.
        var hosting = Model.Value.Types.Where(t => LayerOf(t) == "Hosting").ToList();
        var namedByHosting = hosting.SelectMany(t => t.Dependencies).Select(d => LayerOf(d.Target)).OfType<string>().ToHashSet();

        Assert.Superset(new HashSet<string> { "Actors", "Logging", "Persistence", "Reading" }, namedByHosting);
        Assert.Throws<FailedArchRuleException>(() =>
            Types().That().FollowCustomPredicate(t => LayerOf(t) == "Hosting", "are in Hosting/")
                .Should().NotDependOnAny(Types().That().FollowCustomPredicate(t => LayerOf(t) == "Actors", "are in Actors/"))
                .Check(Model.Value));
    }

    private static int Rank(string layer) => Layers.Where(l => l.Layer == layer).Select(l => l.Rank).DefaultIfEmpty(-1).First();

    private static string? LayerOf(IType type) =>
        Folders.Value.TryGetValue(Key(type.FullName), out var folders) && folders.Count == 1 ? folders.Single() : null;

    /// <summary>The top-level type a (possibly nested or generic) type name belongs to.</summary>
    private static string Key(string fullName)
    {
        var end = fullName.IndexOfAny(['+', '/', '<', '[']);
        return end > 0 ? fullName[..end] : fullName;
    }

    /// <summary>Types written in the library's sources, not those the compiler adds (attributes it embeds, private details).</summary>
    private static bool IsSourceType(string fullName) =>
        !fullName.StartsWith('<') && !fullName.StartsWith("System.", StringComparison.Ordinal)
        && !fullName.StartsWith("Microsoft.", StringComparison.Ordinal);
}
