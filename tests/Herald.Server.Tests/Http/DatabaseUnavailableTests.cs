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
        // A disk that failed a read or a write, and data the server reports damaged.
        { PostgresErrorCodes.IoError, true },
        { PostgresErrorCodes.DataCorrupted, true },
        { PostgresErrorCodes.IndexCorrupted, true },
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
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("disk I/O error", 10, 778)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("database disk image is malformed", 11)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new SqliteException("file is not a database", 26)));
        Assert.True(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("writing failed", new NpgsqlException("Exception while reading from stream", new IOException()))));
    }

    [Fact]
    public void A_statement_cancelled_for_Herald_s_own_token_is_not()
    {
        var cancelled = new PostgresException("canceling statement due to user request", "ERROR", "ERROR", PostgresErrorCodes.QueryCanceled);

        Assert.False(ErrorHandling.DatabaseUnavailable(new OperationCanceledException("Query was cancelled", cancelled)));
        Assert.False(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("writing failed", new OperationCanceledException("Query was cancelled", cancelled))));
    }

    public static TheoryData<Exception, string> Causes => new()
    {
        { new SqliteException("database or disk is full", 13), ErrorHandling.DiskFullMessage },
        { new PostgresException("could not extend file", "ERROR", "ERROR", PostgresErrorCodes.DiskFull), ErrorHandling.DiskFullMessage },
        { new SqliteException("attempt to write a readonly database", 8), ErrorHandling.ReadOnlyFileMessage },
        { new SqliteException("unable to open database file", 14), ErrorHandling.CannotOpenFileMessage },
        { new InvalidOperationException("writing failed", new SqliteException("disk I/O error", 10, 778)), ErrorHandling.DiskErrorMessage },
        { new PostgresException("could not read block", "ERROR", "ERROR", PostgresErrorCodes.IoError), ErrorHandling.DiskErrorMessage },
        { new SqliteException("database disk image is malformed", 11), ErrorHandling.DamagedFileMessage },
        { new SqliteException("file is not a database", 26), ErrorHandling.DamagedFileMessage },
        { new PostgresException("invalid page in block", "ERROR", "ERROR", PostgresErrorCodes.DataCorrupted), ErrorHandling.DamagedFileMessage },
        { new PostgresException("index contains unexpected zero page", "ERROR", "ERROR", PostgresErrorCodes.IndexCorrupted), ErrorHandling.DamagedFileMessage },
        { new SqliteException("database is locked", 5), ErrorHandling.DatabaseUnavailableMessage },
        { new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), ErrorHandling.DatabaseUnavailableMessage },
    };

    /// <summary>The 503's message names the cause where the operator has something specific to do about it.</summary>
    [Theory]
    [MemberData(nameof(Causes))]
    public void Each_cause_gets_the_message_that_says_what_to_do_about_it(Exception error, string message)
    {
        Assert.True(ErrorHandling.DatabaseUnavailable(error));
        Assert.Equal(message, ErrorHandling.UnavailableMessage(error));
    }

    [Fact]
    public void Text_PostgreSQL_cannot_store_is_the_callers_fault_and_not_unavailability()
    {
        var nulInText = new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", "22021");
        var nulInJson = new PostgresException("unsupported Unicode escape sequence", "ERROR", "ERROR", "22P05");

        Assert.True(ErrorHandling.Unstorable(nulInText));
        Assert.True(ErrorHandling.Unstorable(nulInJson));
        Assert.True(ErrorHandling.Unstorable(new InvalidOperationException("wrapped", nulInText)));
        Assert.False(ErrorHandling.Unstorable(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.False(ErrorHandling.Unstorable(null));
        Assert.False(ErrorHandling.DatabaseUnavailable(nulInText));
    }

    [Fact]
    public void Other_errors_are_not()
    {
        Assert.False(ErrorHandling.DatabaseUnavailable(new SqliteException("constraint failed", 19)));
        Assert.False(ErrorHandling.DatabaseUnavailable(new InvalidOperationException("a bug")));
        Assert.False(ErrorHandling.DatabaseUnavailable(null));
    }
}
