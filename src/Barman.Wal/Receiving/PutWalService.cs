using Barman.Wal.Archiving;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Output;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Receiving;

/// <summary>
/// The <c>put-wal</c> command (spec: put-wal §1, §3): the receiving end of <c>barman-wal-archive</c>.
/// Reads one tar from stdin, verifies every file against the stream's checksum file, and only then
/// stores the WAL in the server's <c>incoming</c> directory, durably, before exiting 0.
/// </summary>
/// <remarks>
/// Stricter than Barman (docs/compatibility.md): a stream is all-or-nothing — one WAL-named file per
/// stream, nothing stored unless the whole stream was read and verified, temporary files always removed.
/// </remarks>
public sealed class PutWalService(BarmanConfiguration configuration, BarmanOutput output, ILogger logger, TimeProvider clock)
{
    /// <summary>How much trailing padding is read (and discarded) after the end-of-archive marker.</summary>
    private const long DrainLimit = 1 << 20;

    private readonly ILogger _log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "barman.server");

    /// <summary>Runs one put-wal invocation; returns the exit code.</summary>
    public async Task<int> RunAsync(PutWalRequest request, CancellationToken cancellationToken = default)
    {
        var server = SelectServer(request.Server);
        if (server is null)
            return ExitCodes.Failure;
        if (request.Test)
        {
            output.Info($"Ready to accept WAL files for the server {server.Name}");
            return ExitCodes.Success;
        }

        var context = new Context(server.Name, request.SshConnection is { Length: > 0 } ssh ? $" (SSH host: {ssh.Split(' ')[0]})" : "");
        using var store = new IncomingStore(server.IncomingWalsDirectory, new ErrorsDirectory(server.ErrorsDirectory, clock));
        store.EnsureDirectory();
        store.RemoveStaleTemporaries();
        var (received, manifest) = await ReadStreamAsync(request.Input, store, context, cancellationToken).ConfigureAwait(false);
        Validate(received, manifest, context);
        foreach (var file in received)
            Store(store, file, manifest.UsesMd5, server.Name);
        return ExitCodes.Success;
    }

    private ServerOptions? SelectServer(string name)
    {
        if (name == "all")
        {
            output.Error("You cannot use 'all' in a single server context");
            return null;
        }

        if (configuration.Errors.Count > 0)
        {
            foreach (var error in configuration.Errors)
                output.Error(error);
            return null;
        }

        var server = configuration.FindServer(name);
        if (server is null)
            output.Error($"Unknown server '{name}'");
        else if (!server.Active)
            output.Error($"Inactive server: {server.Name}");
        else if (server.Disabled)
            output.Error(server.Messages.Count > 0 ? server.Messages[0] : $"Server '{server.Name}' is disabled");
        else
        {
            foreach (var warning in server.CommandWarnings)
                output.Warning(warning);
            return server;
        }

        return null;
    }

    private async Task<(List<ReceivedFile> Files, ChecksumManifest Manifest)> ReadStreamAsync(
        Stream input, IncomingStore store, Context context, CancellationToken cancellationToken)
    {
        var reader = new TarStreamReader(input);
        var manifest = new ChecksumManifest();
        var files = new List<ReceivedFile>();
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } member)
        {
            var name = member.Name.StartsWith("./", StringComparison.Ordinal) ? member.Name[2..] : member.Name;
            if (!member.IsRegularFile)
                throw Refuse($"Unsupported file type 'b'{TypeText(member.TypeFlag)}'' for file '{name}' in put-wal for server '{context.Server}'{context.Suffix}");
            if (name.Contains('/', StringComparison.Ordinal))
                throw Refuse($"Unsupported filename '{name}' in put-wal for server '{context.Server}'{context.Suffix}");
            if (ChecksumManifest.IsChecksumFile(name))
            {
                foreach (var line in manifest.Add(name, await ReadSmallAsync(reader, member, cancellationToken).ConfigureAwait(false)))
                    Warn($"Bad checksum line '{line}' found in put-wal for server '{context.Server}'{context.Suffix}");
                continue;
            }

            // barman-wal: only WAL names, one file per stream — a refused stream stores nothing
            if (!WalName.IsAnyXlogFile(name))
                throw Refuse($"Unsupported filename '{name}' in put-wal for server '{context.Server}'{context.Suffix}");
            if (files.Count > 0)
                throw Refuse($"Unsupported second file '{name}' after '{files[0].Name}' in put-wal for server '{context.Server}' (one WAL file per stream){context.Suffix}");
            files.Add(await store.ReceiveAsync(reader, member with { Name = name }, cancellationToken).ConfigureAwait(false));
        }

        await reader.DrainAsync(DrainLimit, cancellationToken).ConfigureAwait(false);
        return (files, manifest);
    }

    private void Validate(List<ReceivedFile> files, ChecksumManifest manifest, Context context)
    {
        var md5 = manifest.UsesMd5;
        foreach (var name in manifest.Names)
        {
            var expected = manifest.ExpectedFor(name)!;
            var file = files.Find(f => f.Name == name)
                ?? throw Refuse($"Checksum without corresponding file '{name}' in put-wal for server '{context.Server}'{context.Suffix}");
            var actual = file.Digest(md5);
            if (!string.Equals(actual, expected, StringComparison.Ordinal))
                throw Refuse($"Bad file checksum '{actual}' (should be {expected}) for file '{name}' in put-wal for server '{context.Server}'{context.Suffix}");
            _log.Information("Received file '{Name}' with checksum '{Checksum}' by put-wal for server '{Server}'{Suffix}", name, expected, context.Server, context.Suffix);
        }

        foreach (var file in files)
        {
            if (manifest.ExpectedFor(file.Name) is null)
                throw Refuse($"Missing checksum for file '{file.Name}' in put-wal for server '{context.Server}'{context.Suffix}");
        }
    }

    private void Store(IncomingStore store, ReceivedFile file, bool md5, string server)
    {
        var result = store.Commit(file, md5);
        switch (result.Kind)
        {
            case StoreResultKind.IdenticalDuplicate:
                var same = $"Duplicate Files with Identical Checksums. File {file.Name} already exists on server {server}, and the checksums are identical. Skipping the file.";
                output.Debug(same);
                _log.Debug("{Message}", same);
                break;
            case StoreResultKind.MismatchedDuplicate:
                // Barman's line, its missing space after "is" included
                var different = $"\tError: Duplicate Files Detected with Mismatched Checksums. File {file.Name} already exists on server {server} with checksum {result.ExistingDigest}, but the checksum of the incoming file is{file.Digest(md5)}. The file has been moved to the errors directory.";
                output.Info(different);
                _log.Information("{Message}", different);
                break;
            default:
                _log.Debug("Stored {Path} from put-wal for server {Server}", result.Path, server);
                break;
        }
    }

    private static async Task<byte[]> ReadSmallAsync(TarStreamReader reader, TarMember member, CancellationToken cancellationToken)
    {
        if (member.Size > 1 << 20)
            throw new PutWalException($"Checksum file '{member.Name}' is too large ({member.Size} bytes)");
        var data = new byte[member.Size];
        var offset = 0;
        while (offset < data.Length)
            offset += await reader.ReadDataAsync(data.AsMemory(offset), cancellationToken).ConfigureAwait(false);
        return data;
    }

    private PutWalException Refuse(string message)
    {
        _log.Error("{Message}", message);
        return new PutWalException(message);
    }

    private void Warn(string message)
    {
        _log.Warning("{Message}", message);
        output.Warning(message);
    }

    private static string TypeText(byte type) => type is >= 0x20 and < 0x7f ? ((char)type).ToString() : $"\\x{type:x2}";

    private sealed record Context(string Server, string Suffix);
}
