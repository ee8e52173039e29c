using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Http;

/// <summary>
/// The one place where surprises become answers: an unexpected exception is logged and answered with a bare 500
/// that leaks no internals; a database that cannot be reached or is too busy to answer gets a 503 that asks for a
/// retry; a framework rejection (bad request line, body too large) keeps its 4xx; unmatched routes and methods get
/// the contract's <c>{"message"}</c> body too.
/// </summary>
public static partial class ErrorHandling
{
    /// <summary>
    /// A query parameter the framework cannot bind (<c>?sync=maybe</c>) throws, so that <see cref="UseHeraldErrors"/>
    /// answers it with a message naming the parameter, instead of a bare 400.
    /// </summary>
    public static IServiceCollection AddHeraldErrors(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    public static WebApplication UseHeraldErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteErrorAsync,
            // WriteErrorAsync logs what is worth logging, once: an unexpected error and a database that cannot serve,
            // not a caller's bad request.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null)
            {
                return;
            }
            var message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "Not found",
                StatusCodes.Status405MethodNotAllowed => "Method not allowed",
                StatusCodes.Status401Unauthorized => "Unauthorized",
                StatusCodes.Status403Forbidden => "Forbidden",
                StatusCodes.Status415UnsupportedMediaType => "Content-Type must be application/json",
                _ => "Request failed",
            };
            await response.WriteAsJsonAsync(new ErrorResp(message));
        });
        return app;
    }

    private static async Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            context.Response.StatusCode = bad.StatusCode;
            await context.Response.WriteAsJsonAsync(new ErrorResp(BindingMessage(bad.Message)));
            return;
        }
        if (Unstorable(error))
        {
            // The fields a caller sends are checked for U+0000 where they are read (StoredText); this answers any the
            // checks missed with the caller's fault it is, not a 500.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ErrorResp(UnstorableMessage));
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Errors");
        if (UnavailableMessage(error) is { } unavailable)
        {
            // A disk short of its reserve is logged once when it falls short (Storage.DiskRoom), not for every request.
            if (error is not DiskLowException)
            {
                LogDatabaseUnavailable(logger, context.Request.Method, context.Request.Path, error);
            }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new ErrorResp(unavailable));
            return;
        }
        LogUnhandled(logger, context.Request.Method, context.Request.Path, error);
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await context.Response.WriteAsJsonAsync(new ErrorResp("Internal server error"));
    }

    /// <summary>The framework's words for a parameter it could not bind: <c>Failed to bind parameter "bool? sync" from "maybe".</c></summary>
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[\w?<>.]+) (?<name>\w+)" from "(?<value>.*)"\.$""", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex FailedBinding();

    /// <summary>
    /// A binding failure in words a caller can act on: the parameter, what it must be and what was sent (at most 100
    /// characters of it); any other message of the framework as it is.
    /// </summary>
    internal static string BindingMessage(string message)
    {
        var match = FailedBinding().Match(message);
        if (!match.Success)
        {
            return message;
        }
        var type = match.Groups["type"].Value.TrimEnd('?');
        if (type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>'))
        {
            type = type["Nullable<".Length..^1];
        }
        var expected = type switch
        {
            "bool" => "true or false",
            "int" or "long" => "an integer",
            _ => "a " + type,
        };
        var value = match.Groups["value"].Value;
        return $"Query parameter '{match.Groups["name"].Value}' must be {expected} (got \"{(value.Length > 100 ? value[..100] + "..." : value)}\")";
    }

    private const string QueryCanceled = "57014";
    private const string ReadOnly = "25006";
    private const string DiskFullState = "53100";
    private const string IoErrorState = "58030";
    private const string DataCorruptedState = "XX001";
    private const string IndexCorruptedState = "XX002";
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADb = 26;

    /// <summary>The <c>Retry-After</c> of a 503 for an unavailable database, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// What a client reads when the database could not be reached: the cause stays in the node's log (it may name the
    /// database's host), the answer says what to do.
    /// </summary>
    public const string DatabaseUnavailableMessage =
        "The database could not be reached or was too busy to answer; retry the request. A trigger sent again with the same Idempotency-Key header is accepted once. "
        + OperatorAdvice;

    private const string OperatorAdvice =
        "If this lasts, the operator should check that the database is up and that Storage:ConnectionString points at it (the node's log has the cause).";

    /// <summary>What a client reads when the database's disk is full: nothing more can be written until the operator makes room.</summary>
    public const string DiskFullMessage =
        "The database's disk is full, so nothing more can be written; retry the request later. The operator should free space on the disk that holds the database "
        + "(for SQLite, the folder of Storage:DataDirectory or the Data Source of Storage:ConnectionString; the node's log has the cause).";

    /// <summary>What a client reads when the SQLite file cannot be written: the operator must make it writable again.</summary>
    public const string ReadOnlyFileMessage =
        "The database file cannot be written (it is read-only); retry the request later. The operator should check that Herald may write the SQLite file "
        + "in Storage:DataDirectory (or the Data Source of Storage:ConnectionString) and that its file system was not remounted read-only after a disk error "
        + "(the node's log has the cause).";

    /// <summary>What a client reads when the SQLite file cannot be opened: its folder or volume is gone.</summary>
    public const string CannotOpenFileMessage =
        "The database file cannot be opened; retry the request later. The operator should check that the SQLite file in Storage:DataDirectory "
        + "(or the Data Source of Storage:ConnectionString) is there, that its volume is mounted and that Herald may open it (the node's log has the cause).";

    /// <summary>What a client reads when the database's disk failed a read or a write: the operator must look at the disk.</summary>
    public const string DiskErrorMessage =
        "The database's disk failed to read or write (an I/O error), so this request was not served; retry the request later. The operator should check "
        + "the disk that holds the database (for SQLite, the folder of Storage:DataDirectory or the Data Source of Storage:ConnectionString; the node's log "
        + "has the cause, the system's log the disk's own errors).";

    /// <summary>What a client reads when the database reports its data damaged: the operator must repair or restore it.</summary>
    public const string DamagedFileMessage =
        "The database reports its data damaged (corrupt), so this request was not served; retry the request later. The operator should repair the "
        + "database or restore it from a backup (for SQLite, the file in Storage:DataDirectory or the Data Source of Storage:ConnectionString; the node's "
        + "log names the damaged part).";

    public const string UnstorableMessage =
        "A text value of this request holds the character U+0000 (NUL), which the database cannot store; remove it and send the request again.";

    /// <summary>
    /// Whether an error, or one it wraps, is PostgreSQL refusing text that holds U+0000: 22021 (a NUL byte in
    /// <c>text</c>) or 22P05 (<c>\u0000</c> in <c>jsonb</c>).
    /// </summary>
    internal static bool Unstorable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: "22021" or "22P05" })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What a client reads when the connection was lost while its write was being committed: the write may have been
    /// made, so sending it again is safe only with the same Idempotency-Key.
    /// </summary>
    public const string CommitInDoubtMessage =
        "The connection to the database was lost while this request's write was being committed, so it may or may not have been made; "
        + "retry the request with the same Idempotency-Key header, and a trigger is then accepted once. " + OperatorAdvice;

    /// <summary>
    /// Whether an error, or one it wraps, is the database saying it cannot serve now: a lost or refused connection, a
    /// connection pool with none free (what a driver marks transient), a server that ended the session (SQLSTATE class
    /// 08, or 57P01 to 57P05: shutting down, restarting, an idle session ended), a server that takes no writes (25006: a
    /// standby, or a primary a failover demoted), a statement the server stopped because
    /// it ran past the operator's <c>statement_timeout</c> or an operator cancelled it (57014: Herald's own cancellations
    /// reach it as <see cref="OperationCanceledException"/> instead), a SQLite file still busy or locked when its busy
    /// timeout ran out, one that cannot grow (its disk is full), one that cannot be written (read-only), one that cannot
    /// be opened (its folder or volume gone), a disk that failed a read or a write (SQLite's I/O error, SQLSTATE 58030), or
    /// data the database reports damaged (SQLite's corrupt file or one that is no database, SQLSTATE XX001 and XX002).
    /// </summary>
    public static bool DatabaseUnavailable(Exception? error) => UnavailableMessage(error) is not null;

    /// <summary>
    /// What a client reads for an error <see cref="DatabaseUnavailable"/> counts, the cause's own advice where it has
    /// one; null for any other error. The error and what it wraps are read outside in: the first that names a cause
    /// decides.
    /// </summary>
    internal static string? UnavailableMessage(Exception? error)
    {
        var cancelled = false;
        for (var e = error; e is not null; e = e.InnerException)
        {
            // A statement cancelled for Herald's own token (a stop, an aborted request) is no sign of the database.
            cancelled |= e is OperationCanceledException;
            if (CauseOf(e, cancelled) is { } message)
            {
                return message;
            }
        }
        return null;
    }

    /// <summary>
    /// The message for one error of the chain, when it is the database unable to serve. SQLite's driver marks nothing
    /// transient: a file another process holds past the busy timeout is, and a file that cannot grow, cannot be written
    /// (its file system remounted read-only after a disk error) or cannot be opened (its volume gone), whose disk failed
    /// a read or a write, or whose data is damaged serves again once the operator has made room, repaired the disk or
    /// restored the file: none of it is about the request.
    /// </summary>
    private static string? CauseOf(Exception e, bool cancelled) => e switch
    {
        CommitInDoubtException => CommitInDoubtMessage,
        DiskLowException low => low.Message,
        SqliteException { SqliteErrorCode: SqliteFull } => DiskFullMessage,
        SqliteException { SqliteErrorCode: SqliteReadOnly } => ReadOnlyFileMessage,
        SqliteException { SqliteErrorCode: SqliteCantOpen } => CannotOpenFileMessage,
        SqliteException { SqliteErrorCode: SqliteIoErr } => DiskErrorMessage,
        SqliteException { SqliteErrorCode: SqliteCorrupt or SqliteNotADb } => DamagedFileMessage,
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => DatabaseUnavailableMessage,
        DbException { SqlState: DiskFullState } => DiskFullMessage,
        DbException { SqlState: IoErrorState } => DiskErrorMessage,
        DbException { SqlState: DataCorruptedState or IndexCorruptedState } => DamagedFileMessage,
        DbException db when db.IsTransient || db.SqlState is ['0', '8', _, _, _] or "57P01" or "57P02" or "57P03" or "57P05" or ReadOnly
            || (db.SqlState == QueryCanceled && !cancelled) => DatabaseUnavailableMessage,
        _ => null,
    };

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The database was unavailable for {Method} {Path}; answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, Exception? error);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception? error);
}
