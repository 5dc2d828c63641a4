namespace Barman.Wal.Configuration;

/// <summary>See <see cref="ParseOutcome"/>.</summary>
internal enum ParseState
{
    Value,
    Empty,
    Null,
    Invalid,
}
