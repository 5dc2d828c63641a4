using Barman.Wal.Errors;

namespace Barman.Wal.Postgres;

/// <summary>A libpq connection string that cannot be parsed; the message names the problem as libpq does.</summary>
public sealed class ConnInfoException(string message) : BarmanWalException(message);
