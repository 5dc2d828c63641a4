namespace Barman.Wal.Catalog;

/// <summary>
/// Which catalog file a server uses and in how many columns (spec: xlogdb §1 and §6): the 3.13+
/// <c>&lt;xlogdb_directory&gt;/&lt;server&gt;-xlog.db</c> with 5 columns, or a 3.4-era
/// <c>&lt;wals_directory&gt;/xlog.db</c> with 4 columns that barman-wal keeps appending to.
/// </summary>
public sealed record XlogDbLocation(string Path, int Columns, bool IsLegacy, string? Warning)
{
    /// <summary>Decides the catalog for a server from what exists on disk.</summary>
    public static XlogDbLocation Resolve(string server, string walsDirectory, string? xlogdbDirectory)
    {
        var modern = System.IO.Path.Combine(xlogdbDirectory ?? walsDirectory, $"{server}-xlog.db");
        var legacy = System.IO.Path.Combine(walsDirectory, "xlog.db");
        var modernExists = File.Exists(modern);
        var legacyExists = File.Exists(legacy);
        if (!modernExists && legacyExists)
            return new XlogDbLocation(legacy, 4, IsLegacy: true, Warning: null);
        var warning = modernExists && legacyExists
            ? $"Both {modern} and the legacy {legacy} exist: using {modern}"
            : null;
        return new XlogDbLocation(modern, 5, IsLegacy: false, warning);
    }

    /// <summary>The legacy catalog's path, deleted when a modern catalog is first created.</summary>
    public static string LegacyPath(string walsDirectory) => System.IO.Path.Combine(walsDirectory, "xlog.db");
}
