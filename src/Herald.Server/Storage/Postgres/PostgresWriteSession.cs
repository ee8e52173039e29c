using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// A PostgreSQL write transaction whose statements go to the server in as few round trips as possible: writers add
/// statements whose answer they do not need at once (<see cref="Add"/>), and they go with the next statement whose
/// answer a writer reads (<see cref="RunAsync"/>), or with the commit, in the same round trip (answers read then are
/// handed out as <see cref="Later{T}"/>).
/// </summary>
public sealed class PostgresWriteSession(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresPartitions partitions) : WriteSession
{
    /// <summary>
    /// Goes first in every write transaction: its statements run on the plan the server made once for each of them on
    /// this connection, never planned again for a run. The writes carry their rows in arrays (<c>unnest($1::text[])</c>),
    /// and the server plans a prepared statement again for every run while a plan for the run's own arrays looks cheaper
    /// than one for arrays of any length, which it does for short arrays: the check of the configs' versions and the
    /// config-health cleanup (one config per group commit in most) were planned at every run, and the completions too
    /// once each node's group commit held fewer rows, 38 µs of the server's time per delivery with three nodes (22% of
    /// its CPU), 8 µs with one (<c>bench/README.md</c>, 2026-12-06, midday). None of the writes has a plan that depends
    /// on its values: they find rows by key, or insert rows routed to their partition at run time.
    /// </summary>
    internal const string OnePlanPerStatement = "SET LOCAL plan_cache_mode = force_generic_plan";

    private readonly List<(NpgsqlBatchCommand? Command, IGathered? Gathered, Action<NpgsqlDataReader>? Row)> _pending = [(new NpgsqlBatchCommand(OnePlanPerStatement), null, null)];
    private readonly Dictionary<string, IGathered> _gathered = new(StringComparer.Ordinal);

    /// <summary>The day partitions of the event log's tables: a writer makes sure its rows' days have theirs.</summary>
    public PostgresPartitions Partitions { get; } = partitions;

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>
    /// Whether the <c>COMMIT</c> has been sent. Until then a connection lost under the transaction cannot have committed
    /// it; after that, only the server's answer tells.
    /// </summary>
    internal bool CommitSent { get; private set; }

    /// <summary>Round trips whose every answer has been read.</summary>
    private int _answeredRoundTrips;

    /// <summary>
    /// Whether the statements added so far have gone to the server and their answers been read: false until the next
    /// <see cref="RunAsync"/> (or the commit) has read them.
    /// </summary>
    public Func<bool> Answered()
    {
        if (_pending.Count == 0)
        {
            return static () => true;
        }
        var before = _answeredRoundTrips;
        return () => _answeredRoundTrips > before;
    }

    /// <summary>Adds a statement; <paramref name="row"/>, when given, is called for each row it answers, once the statements are sent.</summary>
    public void Add(NpgsqlBatchCommand command, Action<NpgsqlDataReader>? row = null) => _pending.Add((command, null, row));

    /// <summary>
    /// Adds rows to one statement gathered until the next round trip: the first call for <paramref name="kind"/> takes
    /// the statement's place among the others, later calls (from other writers of the same transaction, say the other
    /// triggers of a group commit) add their rows to it, and <paramref name="build"/> makes the statement of all of them
    /// when it is sent. For writes that answer nothing.
    /// </summary>
    public void Gather<T>(string kind, IEnumerable<T> rows, Func<IReadOnlyList<T>, NpgsqlBatchCommand> build)
    {
        if (!_gathered.TryGetValue(kind, out var gathered))
        {
            gathered = new Gathered<T>(build);
            _gathered[kind] = gathered;
            _pending.Add((null, gathered, null));
        }
        ((Gathered<T>)gathered).Rows.AddRange(rows);
    }

    /// <summary>Adds a statement with positional parameters (nulls typed from the column, strings as text).</summary>
    public void Add(string sql, IReadOnlyList<object?> values, Action<NpgsqlDataReader>? row = null) => Add(Command(sql, values), row);

    /// <summary>Sends every statement added so far in one round trip, and has their rows read.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var pending = _pending.ToArray();
        _pending.Clear();
        _gathered.Clear();
        await using var batch = new NpgsqlBatch(Connection, Transaction);
        foreach (var (command, gathered, _) in pending)
        {
            batch.BatchCommands.Add(command ?? gathered!.Build());
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // Rows come per statement that answers rows (RETURNING, SELECT), in the batch's order; a statement that answers
        // none has no row set, or an empty one without fields, whichever the driver gives.
        var readers = pending.Where(p => p.Row is not null).Select(p => p.Row!).ToArray();
        var at = 0;
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }
            var row = at < readers.Length ? readers[at] : null;
            at++;
            while (await reader.ReadAsync(cancellationToken))
            {
                row?.Invoke(reader);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        _answeredRoundTrips++;
    }

    /// <summary>
    /// Commits: what is still pending goes with the <c>COMMIT</c> in one round trip (a statement that fails stops the
    /// rest, the <c>COMMIT</c> with it, and the transaction is rolled back when disposed), or the <c>COMMIT</c> alone.
    /// </summary>
    internal async Task CommitAsync(CancellationToken cancellationToken)
    {
        CommitSent = true;
        if (_pending.Count == 0)
        {
            await Transaction.CommitAsync(cancellationToken);
            return;
        }
        _pending.Add((new NpgsqlBatchCommand("COMMIT"), null, null));
        await RunAsync(cancellationToken);
    }

    /// <summary>A statement with positional parameters; nulls are typed from the column, strings as text.</summary>
    public static NpgsqlBatchCommand Command(string sql, IReadOnlyList<object?> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
        return command;
    }

    public static NpgsqlParameter Parameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value },
        string text => new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text },
        _ => new NpgsqlParameter { Value = value },
    };

    private interface IGathered
    {
        NpgsqlBatchCommand Build();
    }

    private sealed class Gathered<T>(Func<IReadOnlyList<T>, NpgsqlBatchCommand> build) : IGathered
    {
        public List<T> Rows { get; } = [];

        public NpgsqlBatchCommand Build() => build(Rows);
    }
}
