using Barman.Wal.Errors;

namespace Barman.Wal.Xlog;

/// <summary>A name that is not one of the four WAL name kinds.</summary>
public sealed class BadXlogSegmentNameException(string name)
    : BarmanWalException($"invalid xlog segment name '{name}'")
{
    /// <summary>The offending base name.</summary>
    public string Name { get; } = name;
}
