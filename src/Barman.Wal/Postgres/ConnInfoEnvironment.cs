namespace Barman.Wal.Postgres;

/// <summary>Reads libpq's PG* variables from a given dictionary or the process environment; empty counts as unset.</summary>
internal readonly struct ConnInfoEnvironment(IReadOnlyDictionary<string, string?>? variables)
{
    public string? this[string name]
    {
        get
        {
            string? value;
            if (variables is null)
            {
                value = Environment.GetEnvironmentVariable(name);
            }
            else
            {
                variables.TryGetValue(name, out value);
            }

            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
