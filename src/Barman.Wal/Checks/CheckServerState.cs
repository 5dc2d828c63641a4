namespace Barman.Wal.Checks;

/// <summary>How a checked server is labelled in the header (spec: check §2).</summary>
public enum CheckServerState
{
    /// <summary><c>Server pg1:</c>.</summary>
    Active,

    /// <summary><c>Server pg1 (inactive):</c>; its failures do not change the exit status.</summary>
    Inactive,

    /// <summary><c>Server pg1 (WARNING: disabled):</c>.</summary>
    Disabled,
}
