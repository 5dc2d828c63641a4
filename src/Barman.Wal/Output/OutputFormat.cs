namespace Barman.Wal.Output;

/// <summary>The <c>-f/--format</c> choices.</summary>
public enum OutputFormat
{
    /// <summary>Lines printed as they happen.</summary>
    Console,

    /// <summary>One JSON object at exit.</summary>
    Json,
}
