namespace Barman.Wal.Streaming;

/// <summary>
/// The stop requests received while pg_receivewal runs (signal handlers, cancellation) and their
/// forwarding to the child as SIGINT. Thread-safe: the handlers run on the runtime's signal thread.
/// </summary>
internal sealed class ChildSignals
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _childPid;
    private Action? _onFirstSigint;
    private bool _sigintSeen;
    private bool _pendingForward;

    /// <summary>The first signal received (SIGINT or SIGTERM), 0 when none.</summary>
    public int Signal { get; private set; }

    /// <summary>True when the cancellation token asked to stop.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Completes at the first stop request.</summary>
    public Task Stopping => _stopping.Task;

    /// <summary>The child exists: forward what arrived before, and call <paramref name="onFirstSigint"/> once on SIGINT.</summary>
    public void Attach(int childPid, Action onFirstSigint)
    {
        bool forward, announce;
        lock (_gate)
        {
            _childPid = childPid;
            _onFirstSigint = onFirstSigint;
            forward = _pendingForward;
            announce = _sigintSeen;
        }

        if (announce)
            onFirstSigint();
        if (forward)
            Forward(childPid);
    }

    /// <summary>A signal arrived: record it, forward SIGINT to the child, wake the supervisor.</summary>
    public void Receive(int signal)
    {
        int pid;
        Action? announce = null;
        lock (_gate)
        {
            if (Signal == 0)
                Signal = signal;
            if (signal == StreamingNative.SIGINT && !_sigintSeen)
            {
                _sigintSeen = true;
                announce = _onFirstSigint;
            }

            pid = _childPid;
            _pendingForward = pid == 0;
        }

        announce?.Invoke();
        if (pid != 0)
            Forward(pid);
        _stopping.TrySetResult();
    }

    /// <summary>The cancellation token fired (no signal of ours): stop the child too.</summary>
    public void RequestStop()
    {
        int pid;
        lock (_gate)
        {
            StopRequested = true;
            pid = _childPid;
            _pendingForward = pid == 0;
        }

        if (pid != 0)
            Forward(pid);
        _stopping.TrySetResult();
    }

    private static void Forward(int pid) => ReceiveWalLock.Signal(pid, StreamingNative.SIGINT);
}
