using System.Text;
using Barman.Wal.Archiving;
using Barman.Wal.Catalog;
using Barman.Wal.Configuration;
using Barman.Wal.Storage;
using Barman.Wal.Xlog;

namespace Barman.Wal.Verification;

/// <summary>
/// Verifies one server's archive: lists storage, reads the catalog and history files, reads content back
/// unless <c>--fast</c>, then runs the continuity, catalog and content checks (docs/monitoring.md).
/// </summary>
public sealed class ServerVerifier(
    ServerOptions server, WalStorageStrategy storage, StoredWalDecoder decoder, bool canDecrypt, Action<string> warn)
{
    /// <summary>Verifies the archive within <paramref name="request"/>'s range.</summary>
    /// <exception cref="VerificationImpossibleException">The archive or its catalog cannot be read.</exception>
    public async Task<ServerVerification> RunAsync(VerifyWalRequest request, VerifyProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var identity = new ServerIdentityFile(server.BackupDirectory);
        identity.Load(warn);

        var stored = new List<(WalName Name, StoredObject Stored)>();
        await foreach (var entry in storage.ListStoredAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!entry.IsDirectory && WalName.TryParse(entry.Name, out var name))
                stored.Add((name, entry));
        }

        var numbering = new SegmentNumbering(identity.SegmentSize ?? await ProbeSegmentSizeAsync(stored, cancellationToken).ConfigureAwait(false));
        var range = new VerifyRange(request, numbering);
        var histories = await ReadHistoriesAsync(stored, range, cancellationToken).ConfigureAwait(false);
        var problems = new List<WalProblem>(histories.Problems);
        var inRange = stored.Where(s => range.Contains(s.Name)).ToList();

        var encodings = new Dictionary<string, StoredEncoding>(StringComparer.Ordinal);
        var contentRead = 0;
        ulong? systemId = identity.SystemIdentifier;
        var systemIdSource = identity.Source;
        if (!request.Fast)
        {
            var toRead = inRange.Where(s => s.Name.Kind is WalFileKind.Segment or WalFileKind.Partial).ToList();
            progress.Begin(server.Name, toRead.Count);
            var check = new ContentCheck(storage, decoder, identity.SegmentSize, canDecrypt);
            var results = await check.RunAsync(toRead, progress.Advance, cancellationToken).ConfigureAwait(false);
            progress.End();
            contentRead = results.Count;
            foreach (var result in results)
            {
                encodings[result.Name.Name] = new StoredEncoding(result.Compression, result.Encrypted);
                if (result.Problem is { } problem)
                    problems.Add(problem);
            }

            if (systemId is null && MostCommonSystemId(results) is { } common)
            {
                systemId = common;
                systemIdSource = "the archived segments (most common)";
            }

            problems.AddRange(ForeignSegments(results, systemId, systemIdSource));
        }

        var continuity = ContinuityCheck.Check(inRange.Select(s => s.Name), histories.Parsed, numbering);
        problems.AddRange(continuity.Problems);
        problems.AddRange(await CompareCatalogAsync(inRange, range, encodings, cancellationToken).ConfigureAwait(false));

        var ordered = problems.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Kind).ToList();
        return new ServerVerification(server.Name, ordered, inRange.Count, contentRead, continuity.Timelines, systemId, systemIdSource, null);
    }

    private async Task<IReadOnlyList<WalProblem>> CompareCatalogAsync(
        List<(WalName Name, StoredObject Stored)> inRange, VerifyRange range,
        Dictionary<string, StoredEncoding> encodings, CancellationToken cancellationToken)
    {
        var storedByName = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        foreach (var (name, stored) in inRange)
            storedByName.TryAdd(name.Name, stored);
        var found = CatalogCheck.Check(ReadCatalog(range), storedByName, encodings);
        if (!found.Any(p => p.Kind is WalProblemKind.CatalogWithoutFile or WalProblemKind.FileWithoutCatalog))
            return found;

        // archiving or purging may have run between the listing and the catalog read: confirm both ways
        var catalogued = ReadCatalog(range).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var confirmed = new List<WalProblem>(found.Count);
        foreach (var problem in found)
        {
            if (problem.Kind == WalProblemKind.FileWithoutCatalog && catalogued.Contains(problem.Name))
                continue;
            if (problem.Kind == WalProblemKind.CatalogWithoutFile
                && (!catalogued.Contains(problem.Name) || await storage.FindStoredAsync(problem.Name, cancellationToken).ConfigureAwait(false) is not null))
                continue;
            confirmed.Add(problem);
        }

        return confirmed;
    }

    private List<WalFileInfo> ReadCatalog(VerifyRange range)
    {
        var localWals = server.UsesCloudWalStorage ? Path.Combine(server.BackupDirectory, "wals") : server.WalsDirectory;
        var location = XlogDbLocation.Resolve(server.Name, localWals, server.XlogdbDirectory);
        if (!File.Exists(location.Path))
            return [];
        try
        {
            return [.. XlogDb.ReadLines(location.Path).Where(l => !WalName.TryParse(l.Name, out var n) || range.Contains(n))];
        }
        catch (Exception e) when (e is XlogDbFormatException or IOException or UnauthorizedAccessException)
        {
            throw new VerificationImpossibleException($"cannot read {location.Path}: {e.Message}", e);
        }
    }

    private async Task<uint> ProbeSegmentSizeAsync(List<(WalName Name, StoredObject Stored)> stored, CancellationToken cancellationToken)
    {
        foreach (var (name, entry) in stored.Where(s => s.Name.Kind == WalFileKind.Segment).Take(3))
        {
            try
            {
                var header = new byte[WalPageHeader.LongHeaderSize];
                var read = await ReadDecodedAsync(name, entry, content =>
                    content.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
                if (WalPageHeader.TryRead(header.AsSpan(0, read), out var h)
                    && WalHeaderValidator.Validate(name, header, null, null, null).IsValid)
                    return h.SegmentSize;
            }
            catch (Encryption.GpgException e) when (!canDecrypt)
            {
                throw new VerificationImpossibleException(e.Message, e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                warn($"cannot read the segment size from {name.Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
        }

        return SegmentNumbering.DefaultSegmentSize;
    }

    private async Task<(Dictionary<uint, TimelineHistory> Parsed, List<WalProblem> Problems)> ReadHistoriesAsync(
        List<(WalName Name, StoredObject Stored)> stored, VerifyRange range, CancellationToken cancellationToken)
    {
        var parsed = new Dictionary<uint, TimelineHistory>();
        var problems = new List<WalProblem>();
        foreach (var (name, entry) in stored.Where(s => s.Name.Kind == WalFileKind.History))
        {
            string text;
            try
            {
                text = await ReadDecodedAsync(name, entry, async content =>
                {
                    using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                    return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (Exception e) when (e is Compression.CompressionException or Encryption.GpgException or InvalidDataException or DecoderFallbackException)
            {
                if (range.Contains(name))
                    problems.Add(new WalProblem(WalProblemKind.Corrupt, name.Name, $"the history file cannot be decoded: {e.Message.ReplaceLineEndings(" ")}"));
                continue;
            }

            if (TimelineHistory.TryParse(name.Timeline, text) is { } history)
                parsed[name.Timeline] = history;
            else if (range.Contains(name))
                problems.Add(new WalProblem(WalProblemKind.Corrupt, name.Name, "the history file is not PostgreSQL's 'timeline TAB switch point' lines"));
        }

        return (parsed, problems);
    }

    private async Task<T> ReadDecodedAsync<T>(WalName name, StoredObject entry, Func<Stream, Task<T>> read, CancellationToken cancellationToken)
    {
        var raw = await storage.OpenStoredAsync(entry, cancellationToken).ConfigureAwait(false);
        var decoded = await decoder.OpenAsync(raw, name.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (decoded.ConfigureAwait(false))
            return await read(decoded.Content).ConfigureAwait(false);
    }

    private static ulong? MostCommonSystemId(IReadOnlyList<ContentResult> results) =>
        results.Where(r => r.Problem is null && r.Header is { IsAllZero: false })
            .GroupBy(r => r.Header!.Value.SystemIdentifier)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
            .Select(g => (ulong?)g.Key)
            .FirstOrDefault();

    private static IEnumerable<WalProblem> ForeignSegments(IReadOnlyList<ContentResult> results, ulong? systemId, string? source)
    {
        if (systemId is not { } expected)
            yield break;
        foreach (var result in results)
        {
            if (result.Problem is null && result.Header is { IsAllZero: false } header && header.SystemIdentifier != expected)
            {
                yield return new WalProblem(WalProblemKind.Foreign, result.Name.Name,
                    $"it belongs to another PostgreSQL system (system id {header.SystemIdentifier}, the server's is {expected} from {source})");
            }
        }
    }
}
