using Barman.Wal.Errors;

namespace Barman.Wal.Configuration;

/// <summary>
/// A fatal barman.conf problem (missing file, parse or interpolation error, missing
/// <c>[barman]</c> or <c>barman_home</c>, forbidden section name, ...): Barman exits 1.
/// </summary>
/// <remarks>
/// <see cref="Exception.Message"/> is one line naming the file, section, option and value where
/// they apply. <see cref="StderrLines"/> holds the exact lines Barman prints on stderr for the
/// same failure (barman-wal's documented variant where the spec asks for one).
/// </remarks>
public sealed class ConfigurationException : BarmanWalException
{
    public ConfigurationException(string message, IReadOnlyList<string>? stderrLines = null)
        : base(message)
    {
        StderrLines = stderrLines ?? ["ERROR: " + message];
    }

    /// <summary>The lines to print on stderr, in order, without trailing newlines.</summary>
    public IReadOnlyList<string> StderrLines { get; }
}
