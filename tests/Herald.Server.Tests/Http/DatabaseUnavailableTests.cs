using Herald.Server.Http;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Server.Tests.Http;

/// <summary>
/// Which database errors mean "cannot serve now" (a 503 to a request, a deferral to an attempt) and which are
/// answers about the request itself.
/// </summary>
public sealed class DatabaseUnavailableTests
{
    public static TheoryData<string, bool> SqlStates => new()
    {
        { PostgresErrorCodes.AdminShutdown, true },
        { PostgresErrorCodes.CrashShutdown, true },
        { PostgresErrorCodes.CannotConnectNow, true },
        { PostgresErrorCodes.IdleSessionTimeout, true },
        { PostgresErrorCodes.ConnectionFailure, true },
        { PostgresErrorCodes.TooManyConnections, true },
        // A standby, or a primary a failover demoted.
        { PostgresErrorCodes.ReadOnlySqlTransaction, true },
        // The operator's statement_timeout, or an operator's cancel.
        { PostgresErrorCodes.QueryCanceled, true },
        { PostgresErrorCodes.UniqueViolation, false },
        { PostgresErrorCodes.SyntaxError, false },
        { PostgresErrorCodes.InsufficientPrivilege, false },
    };

    [Theory]
    [MemberData(nameof(SqlStates))]
    public void A_server_error_is_unavailability_only_when_the_server_cannot_serve_the_session(string sqlState, bool unavailable) =>
        Assert.Equal(unavailable, ErrorHandling.DatabaseUnavailable(new PostgresException("message", "FATAL", "FATAL", sqlState)));

    [Fact]
    public void A_lost_connection_a_busy_file_and_a_wrapped_one_are_unavailability()
    {
        Assert.True(ErrorHandling.DatabaseUnavailable(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("database is locked", 5)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("database or disk is full", 13)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("attempt to write a readonly database", 8)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("unable to open database file", 14)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("writing failed", new NpgsqlException("Exception while reading from stream", new IOException()))));
    }

    [Fact]
    public void A_statement_cancelled_for_Herald_s_own_token_is_not()
    {
        var cancelled = new PostgresException("canceling statement due to user request", "ERROR", "ERROR", PostgresErrorCodes.QueryCanceled);

        Assert.False(ErrorHandling.DatabaseUnavailable(new OperationCanceledException("Query was cancelled", cancelled)));
        Assert.False(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("writing failed", new OperationCanceledException("Query was cancelled", cancelled))));
    }

    [Fact]
    public void Other_errors_are_not()
    {
        Assert.False(ErrorHandling.DatabaseUnavailable(new SqliteException("constraint failed", 19)));
        Assert.False(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("a bug")));
        Assert.False(ErrorHandling.DatabaseUnavailable(null));
    }
}
