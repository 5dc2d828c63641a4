using Barman.Wal.Configuration;
using Barman.Wal.Errors;

namespace Barman.Wal.Hooks;

/// <summary>Builds the archive hooks from the <c>*_archive_script</c> options.</summary>
public sealed class ArchiveHooksFactory : IArchiveHooksFactory
{
    /// <inheritdoc />
    public IArchiveHooks Create(ServerOptions server)
    {
        if (server.PreArchiveScript is null && server.PreArchiveRetryScript is null
            && server.PostArchiveScript is null && server.PostArchiveRetryScript is null)
            return NoArchiveHooks.Instance;
        throw new HooksUnavailableException();
    }
}

/// <summary>Hook scripts are configured but this build cannot run them.</summary>
public sealed class HooksUnavailableException()
    : BarmanWalException("archive hook scripts are not supported by this barman-wal build");
