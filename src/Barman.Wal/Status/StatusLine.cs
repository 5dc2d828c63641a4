namespace Barman.Wal.Status;

/// <summary>One line of <c>status</c>: console <c>\t&lt;Label&gt;: &lt;Value&gt;</c>, JSON member <c>Key</c>.</summary>
/// <param name="Key">The JSON key.</param>
/// <param name="Label">The console label (JSON <c>description</c>).</param>
/// <param name="Value">The value as printed (JSON <c>message</c>).</param>
public sealed record StatusLine(string Key, string Label, string Value);
