using System.Runtime.InteropServices;
using Barman.Wal.Errors;

namespace Barman.Wal.Locking;

/// <summary>A lock file could not be opened or locked (permission denied, missing directory...).</summary>
public sealed class LockException(string path, int errno)
    : BarmanWalException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}")
{
    /// <summary>The lock file's path.</summary>
    public string LockPath { get; } = path;
}
