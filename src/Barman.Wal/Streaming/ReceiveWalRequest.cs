namespace Barman.Wal.Streaming;

/// <summary>The <c>receive-wal</c> command line: one server and Barman's mode flags (spec: receive-wal §1).</summary>
/// <param name="Server">The server name (<c>all</c> is refused).</param>
/// <param name="Stop"><c>--stop</c>.</param>
/// <param name="Reset"><c>--reset</c>.</param>
/// <param name="CreateSlot"><c>--create-slot</c>.</param>
/// <param name="IfNotExists"><c>--if-not-exists</c> (only with <c>--create-slot</c>).</param>
/// <param name="DropSlot"><c>--drop-slot</c>.</param>
public sealed record ReceiveWalRequest(
    string Server,
    bool Stop = false,
    bool Reset = false,
    bool CreateSlot = false,
    bool IfNotExists = false,
    bool DropSlot = false)
{
    /// <summary>The action Barman's flag precedence selects.</summary>
    public ReceiveWalMode Mode =>
        Stop ? ReceiveWalMode.Stop
        : CreateSlot ? ReceiveWalMode.CreateSlot
        : DropSlot ? ReceiveWalMode.DropSlot
        : Reset ? ReceiveWalMode.Reset
        : ReceiveWalMode.Stream;
}
