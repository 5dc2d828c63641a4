using Barman.Wal.Errors;

namespace Barman.Wal.Catalog;

/// <summary>A catalog line that does not parse; names the file and line number.</summary>
public sealed class XlogDbFormatException(string path, int lineNumber, string detail)
    : BarmanWalException($"{path}, line {lineNumber}: {detail}")
{
    /// <summary>1-based line number of the bad line.</summary>
    public int LineNumber { get; } = lineNumber;
}
