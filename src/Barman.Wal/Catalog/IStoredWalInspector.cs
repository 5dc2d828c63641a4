namespace Barman.Wal.Catalog;

/// <summary>Tells how a stored file is compressed and whether it is encrypted, from its bytes.</summary>
public interface IStoredWalInspector
{
    /// <summary>The compression name detected from magic bytes, or null.</summary>
    string? DetectCompression(string path);

    /// <summary>True when the file is an OpenPGP encrypted message.</summary>
    bool IsEncrypted(string path);
}
