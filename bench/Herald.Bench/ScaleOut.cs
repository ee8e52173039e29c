using System.Diagnostics;
using System.Net.Http.Headers;
using Herald.Testing;

namespace Herald.Bench;

/// <summary>One node count of the scale-out run: rates, CPU per delivery of all nodes and of the server, duplicates.</summary>
public sealed record ScaleOutResult(
    int Nodes, int Events, double DeliveriesPerSecond, TimeSpan NodesCpuPerEvent, TimeSpan DatabaseCpuPerEvent, TimeSpan BenchCpuPerEvent, long Duplicates,
    string LoadBefore, string LoadAfter)
{
    public TimeSpan TogetherPerEvent => NodesCpuPerEvent + DatabaseCpuPerEvent;
}

/// <summary>
/// The scale-out run (<c>--nodes</c>): for each node count, that many Herald processes (api+worker) on one fresh
/// PostgreSQL, warmed up together, then N async triggers spread over the nodes in turn, C in flight in all. The CPU
/// time of every node is summed; the nodes share the machine's cores, so CPU per delivery, not the rate, shows
/// whether adding nodes costs more per delivery. This process's own CPU per delivery (load client and receiver, the
/// same work for every count) is the control: how much dearer the same work gets when more processes share the cores.
/// The warm-up may take up to <see cref="WarmUp.MaxRounds"/> rounds per node: each node sees a share of the triggers,
/// and three nodes' JIT was still busy after 40 rounds.
/// </summary>
public sealed partial class DeliveryBenchmark
{
    public async Task<ScaleOutResult> RunNodesAsync(int count, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("herald-bench-nodes-");
        PostgresInstance? postgres = null;
        RoundTripProxy? proxy = null;
        var nodes = new List<HeraldProcess>();
        var clients = new List<HttpClient>();
        try
        {
            Say("starting a throwaway PostgreSQL server");
            postgres = await PostgresInstance.StartAsync(options.CountStatements, cancellationToken, options.PostgresSettings);
            await using var probe = StoreProbe.Postgres(postgres.ConnectionString);
            // With --count-statements every node reaches the server through one counting relay; the probes go straight to it.
            proxy = options.CountStatements ? RoundTripProxy.Start(postgres.Port) : null;
            var connectionString = proxy is null ? postgres.ConnectionString
                : postgres.ConnectionString.Replace($"Port={postgres.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
            for (var n = 0; n < count; n++)
            {
                var settings = new Dictionary<string, string>
                {
                    ["Storage:DataDirectory"] = Path.Combine(work.FullName, $"data{n}"),
                    ["Storage:Provider"] = "Postgres",
                    ["Storage:ConnectionString"] = connectionString,
                    ["Secrets:MasterKey"] = Convert.ToBase64String(MasterKey),
                    ["Auth:Tokens:0:Token"] = HeraldProcess.Token,
                    ["Auth:Tokens:0:OrgId"] = HeraldProcess.OrgId,
                    ["Delivery:AllowPrivateNetworks"] = "true",
                    ["Roles"] = "api,worker",
                };
                Say($"starting Herald node {n + 1} of {count}");
                nodes.Add(await HeraldProcess.StartAsync(serverDirectory, settings, options.ServerEnvironment, Path.Combine(work.FullName, $"herald{n}.log"), cancellationToken));
                var client = Load.Client(nodes[^1].Url, options.Concurrency);
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HeraldProcess.Token);
                clients.Add(client);
            }
            var (configId, _) = await CreateConfigAsync(clients[0], new Uri(receiver.Url, "/hooks/bench"), cancellationToken);

            TimeSpan NodesCpu() => nodes.Aggregate(TimeSpan.Zero, (sum, node) => sum + node.CpuTime());
            IReadOnlyDictionary<int, TimeSpan> JitThreads() => nodes.SelectMany(node => node.JitThreadCpuTime()).ToDictionary(t => t.Key, t => t.Value);
            Task Trigger(int i, CancellationToken ct) => TriggerAsync(clients[i % count], configId, ct);

            var round = Math.Max(1, options.WarmupEvents);
            var warmUp = await WarmUp.RunAsync(round, async () =>
            {
                receiver.Reset(round);
                await Load.RunAsync(round, options.Concurrency, Trigger, cancellationToken);
                await WaitForDeliveriesAsync(round, nodes[0], cancellationToken);
                await WaitDrainedAsync(probe, nodes[0], cancellationToken);
            }, NodesCpu, JitThreads, maxRounds: options.WarmupEvents == 0 ? 1 : WarmUp.MaxRounds * count);
            Say($"warm-up: {warmUp.CostsMs.Count} rounds of {round} async triggers, CPU ms per event of all nodes: {warmUp.Costs}");
            Say($"warm-up: the tiered JIT's share of each round: {warmUp.Shares}");

            await Task.Delay(500, cancellationToken);
            var loadBefore = LoadAverage();
            receiver.Reset(options.Events);
            if (proxy is not null)
            {
                await StatementCounts.ResetAsync(postgres.ConnectionString, cancellationToken);
            }
            var roundTrips = proxy?.RoundTrips ?? 0;
            var nodesCpu = NodesCpu();
            var benchCpu = OwnCpuTime();
            await probe.OpenAsync(cancellationToken);
            var databaseCpu = postgres.CpuTime(probe.BackendPid);
            var started = Stopwatch.GetTimestamp();
            await Load.RunAsync(options.Events, options.Concurrency, Trigger, cancellationToken);
            await WaitForDeliveriesAsync(options.Events, nodes[0], cancellationToken);
            var delivered = Stopwatch.GetElapsedTime(started, receiver.ReachedAt);
            var benchCpuPerEvent = (OwnCpuTime() - benchCpu) / options.Events;
            await WaitDrainedAsync(probe, nodes[0], cancellationToken);
            var result = new ScaleOutResult(count, options.Events, options.Events / delivered.TotalSeconds, (NodesCpu() - nodesCpu) / options.Events,
                (postgres.CpuTime(probe.BackendPid) - databaseCpu) / options.Events, benchCpuPerEvent, receiver.Requests - receiver.Distinct, loadBefore, LoadAverage());
            if (proxy is not null)
            {
                Report.PrintStatements($"{count} node(s)", await StatementCounts.ReadAsync(postgres.ConnectionString, options.Events, proxy.RoundTrips - roundTrips, cancellationToken));
            }
            Require(nodes.All(node => !node.HasExited), "a node exited during the run");
            Require(receiver.Distinct == options.Events, $"the receiver saw {receiver.Distinct} of {options.Events} events");
            var statuses = await probe.EventsByStatusAsync(cancellationToken);
            Require(statuses.GetValueOrDefault("succeeded") == statuses.Values.Sum(), $"events by status: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}");
            Say($"{count} node(s): {result.DeliveriesPerSecond:N0} deliveries/s; CPU ms per delivery: nodes {result.NodesCpuPerEvent.TotalMilliseconds:0.000}, " +
                $"PostgreSQL {result.DatabaseCpuPerEvent.TotalMilliseconds:0.000}, this process {result.BenchCpuPerEvent.TotalMilliseconds:0.000}; {result.Duplicates} duplicates");
            return result;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            nodes.ForEach(n => n.Dispose());
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// The scale-out table; each count's CPU per delivery beside that of the first count's latest run before it, so that
    /// counts given in turn (<c>--nodes 1,3,1,3</c>) pair each run with its neighbour: this machine's speed drifts
    /// within minutes. Then, for each count, the median of its pairs (nearest rank: of an even number, the lower middle one).
    /// </summary>
    public static void PrintScaleOut(IReadOnlyList<ScaleOutResult> results, BenchOptions options)
    {
        var firstCount = results[0].Nodes;
        Console.WriteLine();
        Console.WriteLine($"Scale-out on one PostgreSQL ({options.Events} async triggers per count, {options.Concurrency} in flight spread over the nodes; " +
            $"{Environment.ProcessorCount} cores shared by every node, the server and this process)");
        Console.WriteLine($"| nodes | deliveries/s | CPU ms per delivery: all nodes | PostgreSQL | together | together vs {firstCount} before | this process (control) | control vs {firstCount} before | duplicates | load average before → after |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var pairs = new List<(int Nodes, double Together, double Control)>();
        var reference = results[0];
        foreach (var r in results)
        {
            if (r.Nodes == firstCount)
            {
                reference = r;
            }
            var together = r.TogetherPerEvent / reference.TogetherPerEvent;
            var control = r.BenchCpuPerEvent / reference.BenchCpuPerEvent;
            if (r.Nodes != firstCount)
            {
                pairs.Add((r.Nodes, together, control));
            }
            Console.WriteLine($"| {r.Nodes} | {r.DeliveriesPerSecond:N0} | {r.NodesCpuPerEvent.TotalMilliseconds:0.000} | {r.DatabaseCpuPerEvent.TotalMilliseconds:0.000} | " +
                $"{r.TogetherPerEvent.TotalMilliseconds:0.000} | {together:0.00}x | {r.BenchCpuPerEvent.TotalMilliseconds:0.000} | " +
                $"{control:0.00}x | {r.Duplicates} | {r.LoadBefore} → {r.LoadAfter} |");
        }
        Console.WriteLine("The control is this process's CPU per delivery (the load client and the receiver): the same work whatever the node count, " +
            "so its rise is what sharing the cores among more processes costs, not more work.");
        foreach (var count in pairs.GroupBy(p => p.Nodes).Where(g => g.Count() > 1))
        {
            Console.WriteLine($"{count.Key} nodes against {firstCount}, median of {count.Count()} pairs: {Load.Percentile([.. count.Select(p => p.Together)], 0.5):0.00}x " +
                $"(control {Load.Percentile([.. count.Select(p => p.Control)], 0.5):0.00}x)");
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
