namespace Barman.Wal.Streaming;

/// <summary>What one <c>receive-wal</c> run does.</summary>
public enum ReceiveWalMode
{
    /// <summary>Run pg_receivewal in the foreground until stopped.</summary>
    Stream,

    /// <summary><c>--stop</c>: signal the running receiver.</summary>
    Stop,

    /// <summary><c>--reset</c>: re-align the streaming directory with the server.</summary>
    Reset,

    /// <summary><c>--create-slot</c>.</summary>
    CreateSlot,

    /// <summary><c>--drop-slot</c>.</summary>
    DropSlot,
}
