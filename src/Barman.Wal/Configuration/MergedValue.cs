namespace Barman.Wal.Configuration;

/// <summary>A value after the merge-time interpolation, and the file it came from.</summary>
internal sealed record MergedValue(string Value, string File);
