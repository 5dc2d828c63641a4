namespace Barman.Wal.Compression;

/// <summary>Barman's low/medium/high mapping and the accepted integer range of one codec.</summary>
internal sealed record CodecLevels(int Low, int Medium, int High, int Min, int Max);
