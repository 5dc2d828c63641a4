namespace Barman.Wal.Errors;

/// <summary>
/// A failure that is the user's or the environment's, not a bug: the CLI prints its one-line
/// <see cref="Exception.Message"/> to stderr (no stack trace) and exits with <see cref="ExitCode"/>.
/// </summary>
/// <remarks>Each Barman failure is a sealed subclass, thrown where it is detected.</remarks>
public abstract class BarmanWalException : Exception
{
    protected BarmanWalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The process exit code for this failure (see <see cref="ExitCodes"/>).</summary>
    public virtual int ExitCode => ExitCodes.Failure;
}
