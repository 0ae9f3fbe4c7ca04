using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace WalActors.Tests.Architecture;

/// <summary>
/// Which folder of <c>src/WalActors/</c> each type of the library was compiled from, read from the library's portable PDB.
/// </summary>
/// <remarks>
/// The layers are folders, not namespaces: the public face lives in the <c>WalActors</c> namespace whatever layer owns it
/// (one <c>using</c> for users), so a type's namespace cannot say where it belongs. The PDB can: every method with a body
/// names its source document, and for a type without one (an interface, an enum, a record with no code of its own) the
/// compiler records the type's documents separately.
/// </remarks>
internal static class SourceFolders
{
    // Custom debug information the compiler emits for types none of whose methods have sequence points.
    private static readonly Guid TypeDefinitionDocuments = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    /// <summary>Each top-level type's full name (<c>Namespace.Name`arity</c>) with the folders its documents are in.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Of(Assembly assembly)
    {
        using var peStream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(peStream);
        var metadata = pe.GetMetadataReader();
        using var pdbStream = File.OpenRead(Path.ChangeExtension(assembly.Location, ".pdb"));
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var pdb = pdbProvider.GetMetadataReader();

        var folders = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            var outermost = Outermost(metadata, handle);
            var name = FullName(metadata, metadata.GetTypeDefinition(outermost));
            if (!folders.TryGetValue(name, out var set))
            {
                folders[name] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (var document in Documents(metadata, pdb, handle))
            {
                if (Folder(pdb.GetString(pdb.GetDocument(document).Name)) is { } folder)
                {
                    set.Add(folder);
                }
            }
        }

        return folders.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The first folder under <c>src/WalActors/</c> of a document path (paths may be mapped to <c>/_/</c> in CI builds).</summary>
    private static string? Folder(string path)
    {
        var parts = path.Replace('\\', '/').Split('/');
        for (var i = parts.Length - 3; i >= 1; i--)
        {
            if (parts[i] == "WalActors" && parts[i - 1] == "src")
            {
                // Code that source generators add (obj/) belongs to the type whose sources asked for it.
                return parts[i + 1] is "obj" or "bin" ? null : parts[i + 1];
            }
        }

        return null;
    }

    private static IEnumerable<DocumentHandle> Documents(MetadataReader metadata, MetadataReader pdb, TypeDefinitionHandle handle)
    {
        foreach (var method in metadata.GetTypeDefinition(handle).GetMethods())
        {
            var debug = pdb.GetMethodDebugInformation(method);
            if (!debug.Document.IsNil)
            {
                yield return debug.Document;
            }
            else if (!debug.SequencePointsBlob.IsNil)
            {
                foreach (var point in debug.GetSequencePoints())
                {
                    yield return point.Document;
                }
            }
        }

        foreach (var info in pdb.GetCustomDebugInformation(handle))
        {
            var entry = pdb.GetCustomDebugInformation(info);
            if (pdb.GetGuid(entry.Kind) != TypeDefinitionDocuments)
            {
                continue;
            }

            var blob = pdb.GetBlobReader(entry.Value);
            while (blob.RemainingBytes > 0)
            {
                yield return MetadataTokens.DocumentHandle(blob.ReadCompressedInteger());
            }
        }
    }

    private static TypeDefinitionHandle Outermost(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        while (metadata.GetTypeDefinition(handle).GetDeclaringType() is { IsNil: false } declaring)
        {
            handle = declaring;
        }

        return handle;
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
    {
        var ns = metadata.GetString(type.Namespace);
        var name = metadata.GetString(type.Name);
        return ns.Length == 0 ? name : $"{ns}.{name}";
    }
}
