using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Errors;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;
using Serilog;

namespace Barman.Wal.Archiving;

/// <summary>
/// Keeps WAL of another PostgreSQL system, or whose header contradicts its name, out of the archive
/// (barman-wal extension, spec wal-names §7; option <c>wal_header_validation</c>, default on). Before a
/// batch is archived, each file's first 40 plain bytes are read (decompressed if the source is
/// compressed) and validated; a rejected file goes to the errors directory as
/// <c>&lt;name&gt;.&lt;stamp&gt;.foreign</c> or <c>.corrupt</c> with one console line and a log warning.
/// </summary>
/// <remarks>
/// The system identifier comes from Barman's <c>identity.json</c>, else from
/// <c>barman-wal-identity.json</c> in the server directory, which the first valid segment writes.
/// Encrypted sources, and with <c>compression = custom</c> without a magic, unrecognised sources, cannot
/// be read and pass unchecked. A file that vanished stays in the batch: the archiver reports it. A read
/// error (EIO, EACCES, a failing decompression command) proves nothing about the file: it is left in
/// place and the run fails with <see cref="WalSourceReadException"/>. A short or undecodable segment
/// modified recently may still be being written: the batch stops before it (<see cref="GrowingSegmentPolicy"/>).
/// </remarks>
public sealed class WalHeaderGate
{
    /// <summary>Errors-directory suffix for WAL of another system.</summary>
    public const string ForeignReason = "foreign";

    /// <summary>Errors-directory suffix for a header that is not valid or contradicts the name.</summary>
    public const string CorruptReason = "corrupt";

    private readonly ServerIdentityFile _identity;
    private readonly IWalContentReader _reader;
    private readonly bool _uncheckableWhenUnrecognised;
    private readonly GrowingSegmentPolicy? _growing;
    private bool _loaded;
    private long? _plainSize;

    internal WalHeaderGate(string backupDirectory, IWalContentReader reader, bool uncheckableWhenUnrecognised, GrowingSegmentPolicy? growing = null)
    {
        _identity = new ServerIdentityFile(backupDirectory);
        _reader = reader;
        _uncheckableWhenUnrecognised = uncheckableWhenUnrecognised;
        _growing = growing;
    }

    /// <summary>The gate for a server, or null when <c>wal_header_validation = off</c>.</summary>
    public static WalHeaderGate? Create(ServerOptions server, IWalContentReader incomingReader, GrowingSegmentPolicy? growing = null) =>
        server.WalHeaderValidation
            ? new WalHeaderGate(server.BackupDirectory, incomingReader,
                string.Equals(server.Compression, "custom", StringComparison.Ordinal) && string.IsNullOrEmpty(server.CustomCompressionMagic),
                growing)
            : null;

    /// <summary>
    /// Counts the files this gate quarantined in an errors directory: for <c>check</c>, which itself keeps
    /// Barman's labels (these suffixes are "unknown failure" there, as Barman shows them).
    /// </summary>
    public static (int Foreign, int Corrupt) CountRejected(string errorsDirectory)
    {
        if (!Directory.Exists(errorsDirectory))
            return (0, 0);
        int foreign = 0, corrupt = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(errorsDirectory))
        {
            if (entry.EndsWith("." + ForeignReason, StringComparison.Ordinal))
                foreign++;
            else if (entry.EndsWith("." + CorruptReason, StringComparison.Ordinal))
                corrupt++;
        }

        return (foreign, corrupt);
    }

    /// <summary>The batch without the rejected files, which are moved to errors and reported.</summary>
    public WalArchiverQueue Screen(WalArchiver archiver, WalArchiverQueue batch)
    {
        if (batch.Files.Count == 0)
            return batch;
        EnsureLoaded(archiver.Log);
        var kept = new List<WalFileInfo>(batch.Files.Count);
        for (var i = 0; i < batch.Files.Count; i++)
        {
            var wal = batch.Files[i];
            var verdict = Check(wal, archiver.Log);
            if (verdict.IsValid)
            {
                kept.Add(wal);
                continue;
            }

            if (verdict.Problem == WalHeaderProblem.Incomplete)
            {
                return new WalArchiverQueue([.. kept, wal], batch.Unknown, batch.TotalSize, batch.BatchSize).StopAt(kept.Count, verdict.Reason);
            }

            var line = $"\tError: {wal.Name} was not archived: {verdict.Reason}. File moved to errors directory.";
            archiver.Context.Output.Info(line);
            archiver.Log.Warning("Rejected {Server}/{Name}: {Reason}", archiver.Context.ServerName, wal.Name, verdict.Reason);
            archiver.MoveToErrors(wal.OriginalPath!, verdict.Problem == WalHeaderProblem.Foreign ? ForeignReason : CorruptReason);
        }

        return kept.Count == batch.Files.Count ? batch : new WalArchiverQueue(kept, batch.Unknown, batch.TotalSize, batch.BatchSize);
    }

    /// <summary>Validates one source file; learns the system from the first valid segment.</summary>
    internal WalHeaderVerdict Check(WalFileInfo wal, ILogger log)
    {
        if (!WalName.TryParse(wal.Name, out var name) || name.Kind is WalFileKind.History or WalFileKind.BackupLabel)
            return WalHeaderVerdict.Valid(null);
        byte[] header;
        try
        {
            var read = ReadPlainHeader(wal, name);
            if (read is null)
                return WalHeaderVerdict.Valid(null);
            header = read;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return WalHeaderVerdict.Valid(null); // vanished: the archiver reports it
        }
        catch (Exception e) when (WalSourceReadException.IsCorruptInput(e))
        {
            if (name.Kind == WalFileKind.Segment && _growing?.MayStillGrow(wal) == true)
                return WalHeaderVerdict.Incomplete($"{wal.Compression} stream not complete yet: {ExceptionText.Of(e)}");
            return WalHeaderVerdict.Corrupt($"cannot be decompressed as {wal.Compression} ({ExceptionText.Of(e)})");
        }
        catch (Exception e) when (e is not (OperationCanceledException or WalSourceReadException))
        {
            throw new WalSourceReadException(wal.OriginalPath!, e);
        }

        var plainSize = wal.Compression is null ? wal.Size : _plainSize;
        var verdict = WalHeaderValidator.Validate(name, header, plainSize, _identity.SystemIdentifier, _identity.SegmentSize);
        if (verdict.Problem == WalHeaderProblem.Corrupt && IsStillGrowing(wal, name, plainSize, verdict.Header) is { } detail)
            return WalHeaderVerdict.Incomplete(detail, verdict.Header);
        if (verdict is { IsValid: true, Header: { IsAllZero: false } h } && (_identity.SystemIdentifier is null || _identity.SegmentSize is null))
        {
            var learnedSystem = _identity.SystemIdentifier is null;
            try
            {
                _identity.Learn(h.SystemIdentifier, h.SegmentSize, wal.Name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Warning("Could not record the server identity in {Path}: {Error}", _identity.LearnedPath, e.Message);
            }

            if (learnedSystem)
                log.Information("Learned system id {SystemId} (segment size {Size}) from {Name}", h.SystemIdentifier, h.SegmentSize, wal.Name);
        }

        return verdict;
    }

    /// <summary>
    /// For a recently modified segment rejected as corrupt: the "N of M bytes" detail when it is shorter
    /// than its segment size (its header's, else the server's, else 16 MiB), so it may still grow.
    /// </summary>
    private string? IsStillGrowing(WalFileInfo wal, WalName name, long? plainSize, WalPageHeader? header)
    {
        if (name.Kind != WalFileKind.Segment || plainSize is not { } size || _growing?.MayStillGrow(wal) != true)
            return null;
        long segmentSize = header is { } h && WalHeaderValidator.IsValidSegmentSize(h.SegmentSize)
            ? h.SegmentSize
            : _identity.SegmentSize ?? WalSegmentArithmetic.DefaultSegmentSize;
        return size < segmentSize ? GrowingSegmentPolicy.ShortDetail(size, segmentSize) : null;
    }

    private void EnsureLoaded(ILogger log)
    {
        if (_loaded)
            return;
        _identity.Load(message => log.Warning("{Message}", message));
        _loaded = true;
    }

    /// <summary>
    /// The first 40 plain bytes (fewer if the file is shorter), or null when they cannot be known; for a
    /// compressed segment also its whole plain size, in <c>_plainSize</c>.
    /// </summary>
    private byte[]? ReadPlainHeader(WalFileInfo wal, WalName name)
    {
        _plainSize = null;
        using var file = WalSourceFile.OpenRead(wal.OriginalPath!);
        var raw = new byte[Math.Max(_reader.HeaderLength, WalPageHeader.LongHeaderSize)];
        var rawLength = file.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (_reader.IsEncrypted(raw.AsSpan(0, rawLength)))
            return null;
        if (wal.Compression is null)
        {
            if (_uncheckableWhenUnrecognised && rawLength >= 2 && !WalPageHeader.IsSupportedMagic(BitConverter.ToUInt16(raw, 0)))
                return null;
            return raw[..Math.Min(rawLength, WalPageHeader.LongHeaderSize)];
        }

        file.Position = 0;
        using var cancel = new CancellationTokenSource();
        using var plain = DecodedStream.Open(file, _reader.Decompressor(wal.Compression), cancel.Token);
        var header = new byte[WalPageHeader.LongHeaderSize];
        var length = plain.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        _plainSize = length;
        if (name.Kind == WalFileKind.Segment)
        {
            // A compressed source is stored as it is: decode it whole once, so that a truncated or
            // damaged file is caught here (codec checksums, plain size) rather than at restore.
            var buffer = new byte[1 << 16];
            int read;
            while ((read = plain.Read(buffer)) > 0)
                _plainSize += read;
        }

        cancel.Cancel();
        return header[..length];
    }
}
