namespace Barman.Wal.Configuration;

/// <summary>One server option: its parser, whether <c>[barman]</c> may provide it, its default.</summary>
/// <param name="Name">option name as written in barman.conf</param>
/// <param name="Kind">parser</param>
/// <param name="Inheritable">"G" options: taken from <c>[barman]</c> when the server has none</param>
/// <param name="Default">Barman's default text (may use <c>%(name)s</c>-style references)</param>
/// <param name="ModelAllowed">whether a configuration model may override it</param>
internal sealed record OptionDefinition(
    string Name, OptionKind Kind, bool Inheritable, string? Default, bool ModelAllowed = true);
