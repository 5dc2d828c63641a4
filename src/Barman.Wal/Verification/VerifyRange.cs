using Barman.Wal.Xlog;

namespace Barman.Wal.Verification;

/// <summary>The names <c>--since</c> and <c>--timeline</c> select (history files: those of the timeline asked for).</summary>
public sealed class VerifyRange
{
    private readonly uint? _timeline;
    private readonly ulong? _since;
    private readonly SegmentNumbering _numbering;

    /// <summary>The range of <paramref name="request"/>.</summary>
    public VerifyRange(VerifyWalRequest request, SegmentNumbering numbering)
    {
        ArgumentNullException.ThrowIfNull(request);
        _numbering = numbering;
        _timeline = request.Timeline;
        _since = request.Since is { } since ? numbering.Number(WalName.Parse(since)) : null;
    }

    /// <summary>True when <paramref name="name"/> is verified.</summary>
    public bool Contains(WalName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_timeline is { } timeline && name.Timeline != timeline)
            return false;
        return name.Kind == WalFileKind.History || _since is not { } since || _numbering.Number(name) >= since;
    }
}
