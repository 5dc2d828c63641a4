using System.Globalization;
using Barman.Wal.Catalog;
using Barman.Wal.Encryption;

namespace Barman.Wal.Hooks;

/// <summary>The error texts Barman passes to post hooks in <c>BARMAN_ERROR</c> (spec: hooks-encryption §3).</summary>
public static class HookErrorText
{
    /// <summary>
    /// <c>DuplicateWalFile:WalFileInfo(compression=None, encryption=None, name='…', size=…, time=…)</c>, or
    /// <c>MatchingDuplicateWalFile:…</c> when the stored copy has the same content.
    /// </summary>
    public static string Duplicate(WalFileInfo wal, bool matching) =>
        (matching ? "MatchingDuplicateWalFile:" : "DuplicateWalFile:") + Record(wal);

    /// <summary>Python's repr of Barman's WalFileInfo: fields in alphabetical order, strings quoted, null as None.</summary>
    public static string Record(WalFileInfo wal) =>
        string.Create(CultureInfo.InvariantCulture,
            $"WalFileInfo(compression={PythonRepr.String(wal.Compression)}, encryption={PythonRepr.String(wal.Encryption)}, name={PythonRepr.String(wal.Name)}, size={wal.Size}, time={PythonFloat.Format(wal.Time)})");
}
