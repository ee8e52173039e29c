using System.Globalization;

namespace Herald.Bench;

public enum Engine
{
    Sqlite,
    Postgres,
}

/// <summary>The command line of <c>delivery</c>: sizes, concurrency and which engines to measure.</summary>
public sealed record BenchOptions(int Events, int Concurrency, IReadOnlyList<Engine> Engines, int SyncRequests, int WarmupEvents, string? ServerDirectory,
    IReadOnlyDictionary<string, string> ServerEnvironment)
{
    /// <summary>Counts PostgreSQL's statements and round trips per delivery (<c>--count-statements</c>).</summary>
    public bool CountStatements { get; init; }

    /// <summary>Settings for the throwaway PostgreSQL server (<c>--postgres-setting</c>), passed as <c>-c K=V</c>.</summary>
    public IReadOnlyDictionary<string, string> PostgresSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The node counts of the scale-out run (<c>--nodes</c>); empty for the usual run.</summary>
    public IReadOnlyList<int> Nodes { get; init; } = [];

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Herald.Bench -- delivery [options]

          --events N         async triggers per engine, timed (default 20000)
          --concurrency C    requests in flight, for the baseline and for the triggers (default 64);
                             Herald runs on its default settings (Workers:Concurrency 32)
          --engine E         sqlite | postgres | both (default both)
          --sync M           sequential ?sync=true triggers and direct POSTs for the latency figures (default 500)
          --warmup W         untimed async triggers per warm-up round (default min(2000, N/5)); rounds repeat (at least 5, up to 40)
                             until the JIT is nearly idle and Herald's CPU time per event settles; 0 means a single event
          --server DIR       folder holding Herald.Server.dll (default: the one built with this benchmark)
          --count-statements on PostgreSQL: count statements (pg_stat_statements) and round trips (through a counting
                             relay) per delivery in the timed part; costs the server and this process CPU, so the
                             CPU figures of such a run are not comparable; with --nodes, for each count
          --nodes 1,2,3      scale-out: for each count, that many Herald nodes (api+worker) on one fresh PostgreSQL,
                             the triggers spread over them in turn; reports deliveries/s, CPU per delivery of the nodes
                             and of the server, duplicates; no baseline, sync or relay (implies --engine postgres)
          --server-env K=V   an environment variable for the Herald process only, such as a runtime setting
                             (DOTNET_TieredPGO=0); repeatable
          --postgres-setting K=V  a setting of the throwaway PostgreSQL server, such as log_autovacuum_min_duration=0
                             (its log is then copied to herald-bench-postgres.log in the temp folder at the end); repeatable
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var events = 20_000;
        var concurrency = 64;
        var postgresSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        var engines = new List<Engine> { Engine.Sqlite, Engine.Postgres };
        var sync = 500;
        int? warmup = null;
        string? server = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = false;
        var nodes = new List<int>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--events":
                    events = Positive(name, Value());
                    break;
                case "--concurrency":
                    concurrency = Positive(name, Value());
                    break;
                case "--engine":
                    engines = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => [Engine.Sqlite],
                        "postgres" => [Engine.Postgres],
                        "both" => [Engine.Sqlite, Engine.Postgres],
                        var other => throw new ArgumentException($"--engine must be sqlite, postgres or both (got '{other}')"),
                    };
                    break;
                case "--sync":
                    sync = Positive(name, Value());
                    break;
                case "--warmup":
                    warmup = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--server":
                    server = Value();
                    break;
                case "--server-env":
                    AddPair(environment, name, Value());
                    break;
                case "--postgres-setting":
                    AddPair(postgresSettings, name, Value());
                    break;
                case "--count-statements":
                    count = true;
                    break;
                case "--nodes":
                    nodes = Value().Split(',').Select(n => Positive(name, n.Trim())).ToList();
                    engines = [Engine.Postgres];
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'");
            }
        }
        return new BenchOptions(events, concurrency, engines, sync, Math.Max(0, warmup ?? Math.Min(2000, events / 5)), server, environment)
        {
            CountStatements = count,
            Nodes = nodes,
            PostgresSettings = postgresSettings,
        };
    }

    /// <summary>Adds <c>NAME=VALUE</c> to <paramref name="pairs"/>, or refuses it naming the option.</summary>
    private static void AddPair(Dictionary<string, string> pairs, string option, string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"{option} needs NAME=VALUE (got '{pair}')");
        }
        pairs[pair[..equals]] = pair[(equals + 1)..];
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer (got '{text}')");
}
