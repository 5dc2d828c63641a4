using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Postgres;

/// <summary>One cluster for the client tests, with a password-protected non-superuser.</summary>
public sealed class PostgresClientFixture : PostgresClusterFixture
{
    public const string User = "barman";
    public const string UserPassword = "barman pw";

    public PostgresClientFixture()
        : base(new PostgresClusterOptions
        {
            PasswordUser = new PostgresPasswordUser(User, UserPassword),
            SynchronousStandbyNames = "",
        })
    {
    }
}
