using Barman.Wal.Errors;
using Barman.Wal.Output;

namespace Barman.Wal.Checks;

/// <summary>
/// <c>-f json</c>: one member per server holding <c>{"hint": …, "status": "OK"|"WARNING"|"FAILED"}</c> per
/// result, keyed by the normalised check name (spec: check §5.3).
/// </summary>
public sealed class JsonCheckWriter(BarmanOutput output) : CheckWriter
{
    private readonly Dictionary<string, SortedDictionary<string, object?>> _members = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override void Detail(string line) => output.Info(PasswordMask.Apply(line));

    /// <inheritdoc />
    public override int Close(bool errorOccurred) =>
        errorOccurred || HasCriticalFailures ? ExitCodes.Failure : ExitCodes.Success;

    /// <summary>The JSON key of a check name: lower case, spaces and <c>-</c> as <c>_</c>, dots removed.</summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant().Replace(' ', '_').Replace('-', '_').Replace(".", "", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    protected override void WriteHeader(string server, CheckServerState state)
    {
        var member = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        _members[server] = member;
        output.SetJsonMember(server, member);
    }

    /// <inheritdoc />
    protected override void WriteResult(CheckResult result)
    {
        if (!_members.TryGetValue(result.Server, out var member))
            WriteHeader(result.Server, CheckServerState.Active);
        _members[result.Server][Key(result.Name)] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["hint"] = PasswordMask.Apply(result.Hint),
            ["status"] = result.Status,
        };
    }
}
