using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Testing;
using NSec.Cryptography;

namespace Herald.Bench;

/// <summary>Herald's resident memory over the timed run, in bytes; <see cref="Peak"/> is the process's high-water mark.</summary>
public sealed record MemoryFigures(long Start, long Middle, long End, long Peak, double AllocatedPerEvent);

/// <summary>
/// CPU time per request: the benchmark process (client and receiver) per baseline request; Herald, the benchmark
/// process and the PostgreSQL server (zero for SQLite, which runs inside Herald) per timed event. These move less than
/// rates when other work shares the machine.
/// </summary>
public sealed record CpuFigures(TimeSpan BaselinePerRequest, TimeSpan HeraldPerEvent, TimeSpan BenchPerEvent, TimeSpan DatabasePerEvent)
{
    /// <summary>What one delivery cost the whole machine: Herald, the benchmark's client and receiver, and a database server.</summary>
    public TimeSpan TotalPerEvent => HeraldPerEvent + BenchPerEvent + DatabasePerEvent;
}

/// <summary>
/// The bare relay's run (<see cref="Relay"/>): its rate beside a baseline measured just before it, and the CPU time per
/// event of the relay process and of the benchmark process (load client and receiver).
/// </summary>
public sealed record FloorResult(double BaselinePerSecond, double RelayedPerSecond, TimeSpan BaselineCpuPerRequest, TimeSpan RelayCpuPerEvent, TimeSpan BenchCpuPerEvent)
{
    public double Ratio => RelayedPerSecond / BaselinePerSecond;

    public TimeSpan TotalPerEvent => RelayCpuPerEvent + BenchCpuPerEvent;
}

public sealed record EngineResult(
    Engine Engine,
    string Description,
    int Events,
    double BaselinePerSecond,
    double DeliveriesPerSecond,
    double TriggersPerSecond,
    double RecordedPerSecond,
    double SyncP50,
    double SyncP99,
    double DirectP50,
    double DirectP99,
    MemoryFigures Memory,
    CpuFigures Cpu,
    IReadOnlyList<string> Checks,
    StatementFigures? Statements)
{
    public double Ratio => DeliveriesPerSecond / BaselinePerSecond;
}

/// <summary>
/// One engine's run: Herald on a fresh database, a config pointing at the receiver, then (1) the baseline, plain
/// POSTs of the body Herald delivers, straight to the receiver; (2) N async triggers, timed from the first trigger
/// sent until the receiver has seen the N-th distinct event; (3) sequential sync triggers beside sequential direct
/// POSTs. Every event must arrive, signed, and end <c>succeeded</c> in the database, or the run fails.
/// </summary>
public sealed partial class DeliveryBenchmark(BenchOptions options, CountingReceiver receiver, string serverDirectory)
{
    /// <summary>How long deliveries may stop progressing before the run is declared stuck.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    /// <summary>Sequential sync triggers per warm-up round before the latency figures.</summary>
    private const int SyncWarmUpRound = 200;

    private static readonly byte[] MasterKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly byte[] _payload = Payloads.Trigger();

    public async Task<EngineResult> RunAsync(Engine engine, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("herald-bench-");
        PostgresInstance? postgres = null;
        RoundTripProxy? proxy = null;
        HeraldProcess? herald = null;
        StoreProbe? probe = null;
        try
        {
            var dataDirectory = Path.Combine(work.FullName, "data");
            var settings = new Dictionary<string, string>
            {
                ["Storage:DataDirectory"] = dataDirectory,
                ["Secrets:MasterKey"] = Convert.ToBase64String(MasterKey),
                ["Auth:Tokens:0:Token"] = HeraldProcess.Token,
                ["Auth:Tokens:0:OrgId"] = HeraldProcess.OrgId,
                ["Delivery:AllowPrivateNetworks"] = "true",
            };
            string description;
            if (engine == Engine.Sqlite)
            {
                settings["Storage:Provider"] = "Sqlite";
                probe = StoreProbe.Sqlite(Path.Combine(dataDirectory, "herald.db"));
                description = "SQLite (WAL, synchronous=NORMAL)";
            }
            else
            {
                Say("starting a throwaway PostgreSQL server");
                postgres = await PostgresInstance.StartAsync(options.CountStatements, cancellationToken, options.PostgresSettings);
                settings["Storage:Provider"] = "Postgres";
                settings["Storage:ConnectionString"] = postgres.ConnectionString;
                if (options.CountStatements)
                {
                    // Herald reaches the server through the counting relay; the probes go straight to it.
                    proxy = RoundTripProxy.Start(postgres.Port);
                    settings["Storage:ConnectionString"] = postgres.ConnectionString.Replace($"Port={postgres.Port}", $"Port={proxy.Port}", StringComparison.Ordinal);
                }
                probe = StoreProbe.Postgres(postgres.ConnectionString);
                description = $"PostgreSQL {postgres.Version.Split(' ')[0]} (default durability)";
            }

            Say($"starting Herald ({engine}) from {serverDirectory}" + (options.ServerEnvironment.Count == 0 ? "" : $" with {string.Join(" ", options.ServerEnvironment.Select(e => $"{e.Key}={e.Value}"))}"));
            herald = await HeraldProcess.StartAsync(serverDirectory, settings, options.ServerEnvironment, Path.Combine(work.FullName, "herald.log"), cancellationToken);
            using var api = Load.Client(herald.Url, options.Concurrency);
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HeraldProcess.Token);
            var (configId, signingSecret) = await CreateConfigAsync(api, new Uri(receiver.Url, "/hooks/bench"), cancellationToken);
            var publicKey = await PublicKeyAsync(api, cancellationToken);
            var checks = new List<string>();

            // Warm-up: the same async path, untimed, in rounds until Herald's CPU time per event settles (the JIT has
            // finished tiering up). It also yields the body Herald delivers, which the baseline then sends.
            var deliveredBody = await WarmUpAsync(api, configId, herald, probe, cancellationToken);

            // Baseline: plain POSTs of the delivered body to the same receiver, same concurrency, same count.
            using var direct = Load.Client(receiver.Url, options.Concurrency);
            Say($"baseline: {options.Events} plain POSTs to the receiver, {options.Concurrency} in flight");
            receiver.Reset(int.MaxValue);
            await Load.RunAsync(Math.Min(options.Events, 5000), options.Concurrency, (_, ct) => PostDirectAsync(direct, deliveredBody, ct), cancellationToken);
            receiver.Reset(int.MaxValue);
            var benchCpu = OwnCpuTime();
            var baselineElapsed = await Load.RunAsync(options.Events, options.Concurrency, (_, ct) => PostDirectAsync(direct, deliveredBody, ct), cancellationToken);
            var baselineCpu = (OwnCpuTime() - benchCpu) / options.Events;
            Require(receiver.Requests == options.Events, $"the receiver got {receiver.Requests} of {options.Events} baseline requests");
            var baseline = options.Events / baselineElapsed.TotalSeconds;
            Say($"baseline: {baseline:N0} req/s");

            // Herald, async: N triggers; the clock stops when the receiver has the N-th distinct event.
            Say($"Herald: {options.Events} async triggers, {options.Concurrency} in flight");
            await Task.Delay(500, cancellationToken);
            receiver.Reset(options.Events);
            var eventIds = new string[options.Events];
            var startMemory = herald.Memory().Rss;
            using var sampler = new MemorySampler(herald, receiver);
            if (proxy is not null)
            {
                await StatementCounts.ResetAsync(postgres!.ConnectionString, cancellationToken);
            }
            var roundTrips = proxy?.RoundTrips ?? 0;
            var runtimeBefore = await RuntimeReading.ReadAsync(api, cancellationToken);
            var heraldCpu = herald.CpuTime();
            await probe.OpenAsync(cancellationToken);
            var databaseCpu = postgres?.CpuTime(probe.BackendPid) ?? TimeSpan.Zero;
            var databaseReaped = postgres?.CpuParts(probe.BackendPid).Reaped ?? TimeSpan.Zero;
            benchCpu = OwnCpuTime();
            var started = Stopwatch.GetTimestamp();
            var triggering = await Load.RunAsync(options.Events, options.Concurrency,
                async (i, ct) => eventIds[i] = await TriggerAsync(api, configId, ct), cancellationToken);
            await WaitForDeliveriesAsync(options.Events, herald, cancellationToken);
            var delivered = Stopwatch.GetElapsedTime(started, receiver.ReachedAt);
            var recordedElapsed = Stopwatch.GetElapsedTime(started, await WaitDrainedAsync(probe, herald, cancellationToken));
            await sampler.StopAsync();
            var statements = proxy is null ? null
                : await StatementCounts.ReadAsync(postgres!.ConnectionString, options.Events, proxy.RoundTrips - roundTrips, cancellationToken);
            var cpu = new CpuFigures(baselineCpu, (herald.CpuTime() - heraldCpu) / options.Events, (OwnCpuTime() - benchCpu) / options.Events,
                ((postgres?.CpuTime(probe.BackendPid) ?? TimeSpan.Zero) - databaseCpu) / options.Events);
            if (postgres is not null)
            {
                var reaped = (postgres.CpuParts(probe.BackendPid).Reaped - databaseReaped) / options.Events;
                Say($"PostgreSQL: CPU ms per delivery {cpu.DatabasePerEvent.TotalMilliseconds:0.000}, of it {reaped.TotalMilliseconds:0.000} in processes that ended within the timed part (autovacuum workers, backends)");
            }
            // The exporter serves one scrape's text for 300 ms; the drained queue was read after more than that.
            var runtime = await RuntimeReading.ReadAsync(api, cancellationToken) - runtimeBefore;
            Say($"Herald's runtime over the timed part, per delivery: {runtime.AllocatedBytes / options.Events / 1024:0.0} KiB allocated, " +
                $"{runtime.Exceptions / options.Events:0.000} exceptions; {runtime.Collections:N0} collections, paused {runtime.PauseSeconds * 1000 / delivered.TotalMilliseconds * 100:0.0}% of the time");
            var end = herald.Memory();
            var memory = new MemoryFigures(startMemory, sampler.RssWhenDelivered(options.Events / 2) ?? end.Rss, end.Rss, end.Peak, runtime.AllocatedBytes / options.Events);
            var deliveries = options.Events / delivered.TotalSeconds;
            Say($"Herald: triggers accepted in {triggering.TotalSeconds:0.00} s, all delivered after {delivered.TotalSeconds:0.00} s ({deliveries:N0}/s), all recorded after {recordedElapsed.TotalSeconds:0.00} s; " +
                $"CPU ms per delivery: Herald {cpu.HeraldPerEvent.TotalMilliseconds:0.000}, this process {cpu.BenchPerEvent.TotalMilliseconds:0.000}");

            // Every triggered event arrived, signed, and is recorded as succeeded.
            var expected = eventIds.Select(id => "msg_" + Guid.Parse(id).ToString("N")).ToHashSet(StringComparer.Ordinal);
            Require(expected.Count == options.Events, "event ids repeat");
            Require(expected.SetEquals(receiver.Ids), $"the receiver saw {receiver.Ids.Count} distinct events, {expected.Except(receiver.Ids).Count()} triggered ones missing");
            Require(receiver.Unsigned == 0, $"{receiver.Unsigned} deliveries lacked a v1a or v1 signature");
            checks.Add($"{options.Events} of {options.Events} events delivered, {receiver.Requests - options.Events} extra requests, every one carrying v1a and v1 signatures");
            checks.Add(VerifySignatures(receiver.Samples, signingSecret, publicKey));
            var statuses = await probe.EventsByStatusAsync(cancellationToken);
            var total = statuses.Values.Sum();
            Require(statuses.GetValueOrDefault("succeeded") == total, $"events by status: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}");
            checks.Add($"all {total} events in the database are succeeded (timed, warm-up), no job left");
            await CheckThroughApiAsync(api, configId, eventIds, cancellationToken);
            checks.Add("a sample of 100 events read back through GET .../events/{eventId}: succeeded, status_code 200");

            // Sync latency: one at a time, Herald's sync trigger beside a plain POST of the same body.
            Say($"latency: {options.SyncRequests} sequential sync triggers and direct POSTs");
            // Warmed up like the async path: a sync trigger runs code the async one does not (the attempt awaited in
            // the request, the outcome in the answer), which the tiered JIT recompiles for seconds after it first runs.
            var syncWarmUp = await WarmUp.RunAsync(SyncWarmUpRound, () => Load.SequentialAsync(SyncWarmUpRound, (_, ct) => SyncTriggerAsync(api, configId, ct), cancellationToken),
                herald.CpuTime, herald.JitThreadCpuTime, maxRounds: options.WarmupEvents == 0 ? 1 : WarmUp.MaxRounds);
            Say($"latency warm-up: {syncWarmUp.CostsMs.Count} rounds of {SyncWarmUpRound} sequential sync triggers, Herald CPU ms per trigger: {syncWarmUp.Costs}");
            Say($"latency warm-up: share of Herald's CPU in the tiered JIT per round: {syncWarmUp.Shares}");
            var sync = await Load.SequentialAsync(options.SyncRequests, (_, ct) => SyncTriggerAsync(api, configId, ct), cancellationToken);
            await Load.SequentialAsync(50, (_, ct) => PostDirectAsync(direct, deliveredBody, ct), cancellationToken);
            var directLatency = await Load.SequentialAsync(options.SyncRequests, (_, ct) => PostDirectAsync(direct, deliveredBody, ct), cancellationToken);
            checks.Add($"{options.SyncRequests + syncWarmUp.CostsMs.Count * SyncWarmUpRound} sync triggers answered succeeded");
            // The tail: which requests set the p99, and how far they stand from the rest.
            Say($"latency: sync slowest {string.Join(", ", sync.OrderDescending().Take(8).Select(ms => ms.ToString("0.0", CultureInfo.InvariantCulture)))} ms, "
                + $"{sync.Count(ms => ms > 5)} over 5 ms (at {string.Join(" ", sync.Select((ms, i) => (ms, i)).Where(x => x.ms > 5).Select(x => x.i))} of {sync.Length}); direct slowest {string.Join(", ", directLatency.OrderDescending().Take(8).Select(ms => ms.ToString("0.0", CultureInfo.InvariantCulture)))} ms");

            return new EngineResult(engine, description, options.Events, baseline, deliveries, options.Events / triggering.TotalSeconds,
                options.Events / recordedElapsed.TotalSeconds, Load.Percentile(sync, 0.5), Load.Percentile(sync, 0.99),
                Load.Percentile(directLatency, 0.5), Load.Percentile(directLatency, 0.99), memory, cpu, checks, statements);
        }
        catch (Exception) when (herald is not null && herald.HasExited)
        {
            throw new InvalidOperationException($"Herald exited during the run; its last output:\n{herald.Tail()}");
        }
        finally
        {
            herald?.Dispose();
            if (probe is not null)
            {
                await probe.DisposeAsync();
            }
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<byte[]> WarmUpAsync(HttpClient api, string configId, HeraldProcess herald, StoreProbe probe, CancellationToken cancellationToken)
    {
        var round = Math.Max(1, options.WarmupEvents);
        byte[]? body = null;
        var warmUp = await WarmUp.RunAsync(round, async () =>
        {
            receiver.Reset(round);
            await Load.RunAsync(round, options.Concurrency, (_, ct) => TriggerAsync(api, configId, ct), cancellationToken);
            await WaitForDeliveriesAsync(round, herald, cancellationToken);
            await WaitDrainedAsync(probe, herald, cancellationToken);
            body ??= receiver.Samples[0].Body;
        }, herald.CpuTime, herald.JitThreadCpuTime, maxRounds: options.WarmupEvents == 0 ? 1 : WarmUp.MaxRounds);
        Say($"warm-up: {warmUp.CostsMs.Count} rounds of {round} async triggers, Herald CPU ms per event: {warmUp.Costs}");
        Say($"warm-up: share of Herald's CPU in the tiered JIT per round: {warmUp.Shares}");
        return body!;
    }

    /// <summary>
    /// The floor: the bare relay in its own process, warmed up like Herald, then N posts to it (C in flight) timed until
    /// the receiver has the N-th distinct forward, beside N plain POSTs of the same body straight to the receiver.
    /// </summary>
    public async Task<FloorResult> RunFloorAsync(CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("herald-bench-relay-");
        try
        {
            Say("starting the bare relay");
            using var relay = await HeraldProcess.StartRelayAsync(new Uri(receiver.Url, "/hooks/bench"), options.Concurrency, Path.Combine(work.FullName, "relay.log"), cancellationToken);
            using var client = Load.Client(relay.Url, options.Concurrency);
            using var direct = Load.Client(receiver.Url, options.Concurrency);

            var round = Math.Max(1, options.WarmupEvents);
            var warmUp = await WarmUp.RunAsync(round, async () =>
            {
                receiver.Reset(round);
                await Load.RunAsync(round, options.Concurrency, (_, ct) => PostAsync(client, "/relay", _payload, ct), cancellationToken);
                await WaitForDeliveriesAsync(round, relay, cancellationToken);
            }, relay.CpuTime, relay.JitThreadCpuTime);
            Say($"relay warm-up: {warmUp.CostsMs.Count} rounds of {round}, relay CPU ms per event: {warmUp.Costs}");
            Say($"relay warm-up: share of the relay's CPU in the tiered JIT per round: {warmUp.Shares}");

            receiver.Reset(int.MaxValue);
            await Load.RunAsync(Math.Min(options.Events, 5000), options.Concurrency, (_, ct) => PostAsync(direct, "/hooks/bench", _payload, ct), cancellationToken);
            receiver.Reset(int.MaxValue);
            var benchCpu = OwnCpuTime();
            var baselineElapsed = await Load.RunAsync(options.Events, options.Concurrency, (_, ct) => PostAsync(direct, "/hooks/bench", _payload, ct), cancellationToken);
            var baselineCpu = (OwnCpuTime() - benchCpu) / options.Events;
            var baseline = options.Events / baselineElapsed.TotalSeconds;

            await Task.Delay(500, cancellationToken);
            receiver.Reset(options.Events);
            var relayCpu = relay.CpuTime();
            benchCpu = OwnCpuTime();
            var started = Stopwatch.GetTimestamp();
            await Load.RunAsync(options.Events, options.Concurrency, (_, ct) => PostAsync(client, "/relay", _payload, ct), cancellationToken);
            await WaitForDeliveriesAsync(options.Events, relay, cancellationToken);
            var relayed = options.Events / Stopwatch.GetElapsedTime(started, receiver.ReachedAt).TotalSeconds;
            var result = new FloorResult(baseline, relayed, baselineCpu, (relay.CpuTime() - relayCpu) / options.Events, (OwnCpuTime() - benchCpu) / options.Events);
            Require(receiver.Distinct == options.Events, $"the receiver got {receiver.Distinct} of {options.Events} relayed posts");
            Say($"baseline {baseline:N0} req/s, bare relay {relayed:N0}/s ({result.Ratio:0.00}x)");
            return result;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(string Id, string SigningSecret)> CreateConfigAsync(HttpClient api, Uri url, CancellationToken cancellationToken)
    {
        using var content = new StringContent($$"""{"name":"Bench","eventName":"order_created","url":"{{url}}"}""", Encoding.UTF8, "application/json");
        using var response = await api.PostAsync("/v1/webhooks/configs", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Require(response.IsSuccessStatusCode, $"creating the config answered {(int)response.StatusCode}: {text}");
        using var created = JsonDocument.Parse(text);
        return (created.RootElement.GetProperty("id").GetString()!, created.RootElement.GetProperty("signingSecret").GetString()!);
    }

    private static async Task<PublicKey> PublicKeyAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var text = await api.GetStringAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldProcess.OrgId}", cancellationToken);
        using var answer = JsonDocument.Parse(text);
        var pem = answer.RootElement.GetProperty("public_key").GetString()!;
        return PublicKey.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText);
    }

    private async Task<string> TriggerAsync(HttpClient api, string configId, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(_payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await api.PostAsync($"/v1/webhooks/configs/{configId}/trigger", content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Require(response.IsSuccessStatusCode, $"trigger answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.GetProperty("event_id").GetString()!;
    }

    private async Task SyncTriggerAsync(HttpClient api, string configId, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(_payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await api.PostAsync($"/v1/webhooks/configs/{configId}/trigger?sync=true", content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Require(response.IsSuccessStatusCode, $"sync trigger answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        using var answer = JsonDocument.Parse(body);
        var status = answer.RootElement.GetProperty("status").GetString();
        Require(status == "succeeded", $"a sync trigger ended {status}: {Encoding.UTF8.GetString(body)}");
    }

    private static Task PostDirectAsync(HttpClient direct, byte[] body, CancellationToken cancellationToken) => PostAsync(direct, "/hooks/bench", body, cancellationToken);

    private static async Task PostAsync(HttpClient client, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(path, content, cancellationToken);
        Require(response.IsSuccessStatusCode, $"{client.BaseAddress} answered {(int)response.StatusCode}");
    }

    /// <summary>Waits until the receiver has <paramref name="target"/> distinct events; fails when progress stops for <see cref="StallLimit"/>.</summary>
    private async Task WaitForDeliveriesAsync(int target, HeraldProcess herald, CancellationToken cancellationToken)
    {
        var seen = -1;
        var lastProgress = Stopwatch.GetTimestamp();
        while (receiver.Distinct < target)
        {
            var now = receiver.Distinct;
            if (now != seen)
            {
                seen = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallLimit)
            {
                throw new TimeoutException($"deliveries stopped at {now} of {target} for {StallLimit.TotalSeconds:0} s; Herald's last output:\n{herald.Tail()}");
            }
            Require(!herald.HasExited, "Herald exited");
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Waits until no job is left in the database; returns the <see cref="Stopwatch"/> timestamp it saw that.</summary>
    private static async Task<long> WaitDrainedAsync(StoreProbe probe, HeraldProcess herald, CancellationToken cancellationToken)
    {
        var seen = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            var pending = await probe.PendingJobsAsync(cancellationToken);
            if (pending == 0)
            {
                return Stopwatch.GetTimestamp();
            }
            if (pending != seen)
            {
                seen = pending;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallLimit)
            {
                throw new TimeoutException($"{pending} jobs stayed pending for {StallLimit.TotalSeconds:0} s; Herald's last output:\n{herald.Tail()}");
            }
            await Task.Delay(25, cancellationToken);
        }
    }

    private static async Task CheckThroughApiAsync(HttpClient api, string configId, string[] eventIds, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        for (var i = 0; i < Math.Min(100, eventIds.Length); i++)
        {
            var eventId = eventIds[random.Next(eventIds.Length)];
            var text = await api.GetStringAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", cancellationToken);
            using var stored = JsonDocument.Parse(text);
            var status = stored.RootElement.GetProperty("status").GetString();
            var code = stored.RootElement.GetProperty("http_response").GetProperty("status_code").GetInt32();
            Require(status == "succeeded" && code == 200, $"event {eventId} reads back as {text}");
        }
    }

    /// <summary>Checks the v1 (HMAC) and v1a (Ed25519) signatures of the kept samples cryptographically.</summary>
    private static string VerifySignatures(IReadOnlyList<SignedSample> samples, string signingSecret, PublicKey publicKey)
    {
        Require(samples.Count > 0, "no signed sample was kept");
        var secret = Convert.FromBase64String(signingSecret["whsec_".Length..]);
        foreach (var sample in samples)
        {
            var content = Encoding.UTF8.GetBytes($"{sample.WebhookId}.{sample.Timestamp}.").Concat(sample.Body).ToArray();
            var entries = sample.Signature.Split(' ');
            var v1 = "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, content));
            Require(entries.Contains(v1), $"the v1 signature of {sample.WebhookId} does not verify");
            Require(entries.Any(e => e.StartsWith("v1a,", StringComparison.Ordinal)
                && SignatureAlgorithm.Ed25519.Verify(publicKey, content, Convert.FromBase64String(e[4..]))), $"no v1a signature of {sample.WebhookId} verifies");
        }
        return $"v1 (HMAC-SHA256) and v1a (Ed25519) signatures verified on {samples.Count} deliveries";
    }

    private static void Require(bool condition, string failure)
    {
        if (!condition)
        {
            throw new BenchmarkFailedException(failure);
        }
    }

    private static TimeSpan OwnCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void Say(string line) => Console.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {line}");
}

/// <summary>A check of the run failed: the figures would not mean what they say.</summary>
public sealed class BenchmarkFailedException(string message) : Exception(message);
