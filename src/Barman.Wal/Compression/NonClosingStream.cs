namespace Barman.Wal.Compression;

/// <summary>Read pass-through that leaves the inner stream open, for readers without a leaveOpen option.</summary>
internal sealed class NonClosingStream(Stream inner) : ReadStageStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);
}
