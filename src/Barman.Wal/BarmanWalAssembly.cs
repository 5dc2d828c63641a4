namespace Barman.Wal;
/// <summary>Marker for the core assembly.</summary>
public static class BarmanWalAssembly { }
