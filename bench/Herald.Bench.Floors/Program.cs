using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Bench;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Intake;
using Herald.Server.Signing;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using NSec.Cryptography;

namespace Herald.Bench.Floors;

/// <summary>
/// What one delivery cannot cost less than on this machine, from parts measured in one run: the plain HTTP exchange
/// of the delivery benchmark's baseline (a delivery makes two), and Herald's own code for the parts every delivery
/// needs: the two signatures, the queue writes (event and job in, outcome out) on SQLite in group commits, and the
/// trigger body read and filled. The sum is a floor for Herald's whole delivery; the baseline exchange over it is the
/// best ratio to the baseline any build of this design can reach here, with CPU as the limit.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var deliveries = Option(args, "--deliveries", 20_000);
        var concurrency = Option(args, "--concurrency", 64);
        var batch = Option(args, "--batch", 32);
        var json = Text(args, "--json");
        var body = Payload();
        Console.WriteLine($"Floors: each part timed over at least {deliveries} deliveries and {TimedPart.TotalSeconds:0} s, {concurrency} in flight for the exchange, queue writes in group commits of {batch} new events and {batch} outcomes; "
            + $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var exchange = await ExchangeAsync(body, deliveries, concurrency);
        var signing = await SigningAsync(body, deliveries);
        var queue = await QueueWritesAsync(body, deliveries, batch);
        var trigger = await TriggerBodyAsync(Payloads.Trigger(), deliveries);

        var parts = new FloorParts(exchange.CpuMs, exchange.PerSecond, signing, queue, trigger);
        var floor = parts.FloorMs;
        var rows = new (string Part, double Ms)[]
        {
            ("plain HTTP exchange, client and server (the baseline's one request)", exchange.CpuMs),
            ("two exchanges (the trigger in, the delivery out)", 2 * exchange.CpuMs),
            ("signatures: v1a (Ed25519) and v1 (HMAC-SHA256) over the delivered body", signing),
            ($"queue writes on SQLite: event and job in, outcome out (group commits of {batch})", queue),
            ("trigger body: parse, check and fill the metadata, serialize", trigger),
        };
        Console.WriteLine();
        Console.WriteLine("| part | CPU ms per delivery |");
        Console.WriteLine("|---|---:|");
        foreach (var (part, ms) in rows)
        {
            Console.WriteLine($"| {part} | {ms.ToString("0.0000", CultureInfo.InvariantCulture)} |");
        }
        Console.WriteLine($"| **floor**: two exchanges + signatures + queue writes + trigger body | **{floor.ToString("0.0000", CultureInfo.InvariantCulture)}** |");
        Console.WriteLine();
        Console.WriteLine($"Baseline in this run: {exchange.PerSecond:N0} exchanges/s. With CPU as the limit, a delivery that costs the floor reaches at best "
            + $"{(exchange.CpuMs / floor).ToString("0.00", CultureInfo.InvariantCulture)}x the baseline's rate "
            + $"(the floor's share of the exchange: {exchange.CpuMs.ToString("0.0000", CultureInfo.InvariantCulture)} / {floor.ToString("0.0000", CultureInfo.InvariantCulture)} ms); "
            + "everything else a delivery does (authentication, routing, the config, the attempt's bookkeeping, thread hand-offs) comes on top.");
        // ratio = x / (2x + rest) reaches the target only when x >= target * rest / (1 - 2 * target).
        var rest = signing + queue + trigger;
        const double target = 0.35;
        var needed = target * rest / (1 - 2 * target);
        Console.WriteLine($"For {target.ToString("0.00", CultureInfo.InvariantCulture)}x even at the floor, the baseline's exchange must cost at least {needed.ToString("0.0000", CultureInfo.InvariantCulture)} ms of CPU "
            + $"(it cost {exchange.CpuMs.ToString("0.0000", CultureInfo.InvariantCulture)} ms here): the signatures, queue writes and trigger body cost the same however fast the machine's HTTP is, "
            + "so the faster the baseline, the lower the ceiling.");
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        if (json is not null)
        {
            parts.Write(json);
        }
        return 0;
    }

    /// <summary>The delivery benchmark's trigger body with the metadata Herald fills in: the body a receiver gets.</summary>
    private static byte[] Payload()
    {
        var body = JsonNode.Parse(Payloads.Trigger())!.AsObject();
        var (filled, _) = TriggerPayload.Fill(body, "bench-config", new WebhookConfig { Name = "bench", EventName = "bench" }, new OrganizationId("bench-org"), DateTimeOffset.UtcNow, Guid.NewGuid());
        return Encoding.UTF8.GetBytes(filled!.ToJsonString());
    }

    /// <summary>
    /// The baseline of the delivery benchmark, with its own load client and receiver: plain HttpClient POSTs of the body
    /// to a Kestrel receiver in this process answering 200, C in flight; CPU time of this process per request, after
    /// warm-up rounds until it settles.
    /// </summary>
    private static async Task<(double CpuMs, double PerSecond)> ExchangeAsync(byte[] body, int count, int concurrency)
    {
        await using var receiver = await CountingReceiver.StartAsync();
        using var client = Load.Client(receiver.Url, concurrency);
        var (ms, timed, elapsed, rounds) = await MeasureAsync(count, n => Load.RunAsync(n, concurrency, async (_, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync("/hooks/bench", content, ct);
            response.EnsureSuccessStatusCode();
        }, CancellationToken.None));
        var result = (ms, timed / elapsed.TotalSeconds);
        Console.WriteLine($"  exchange: {rounds} warm-up rounds; timed {timed}: {result.Item2:N0}/s, {ms.ToString("0.0000", CultureInfo.InvariantCulture)} ms CPU each");
        return result;
    }

    /// <summary>Herald's signature header for each delivery: the signed content, one Ed25519 key and a signing secret.</summary>
    private static async Task<double> SigningAsync(byte[] body, int count)
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var secret = WebhookSignature.SecretPrefix + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var keys = new[] { key };
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var length = 0L;
        var (ms, timed, _, rounds) = await MeasureAsync(count, n =>
        {
            for (var i = 0; i < n; i++)
            {
                var content = WebhookSignature.SignedContent(WebhookSignature.MessageId(Guid.CreateVersion7()), timestamp, body);
                length += WebhookSignature.Header(keys, secret, content).Length;
            }
            return Task.CompletedTask;
        });
        Console.WriteLine($"  signatures: {rounds} warm-up rounds; timed {timed} headers, {ms.ToString("0.0000", CultureInfo.InvariantCulture)} ms CPU each ({length} characters in all)");
        return ms;
    }

    /// <summary>
    /// Herald's SQLite queue store on a fresh database with its own migrations: each commit writes one group of new
    /// events with their jobs (leased, as a hand-over commits them) and the outcomes of the group before it (event
    /// updated, attempt kept, job removed), as the group-commit writer does under load.
    /// </summary>
    private static async Task<double> QueueWritesAsync(byte[] body, int count, int batch)
    {
        var folder = Directory.CreateTempSubdirectory("herald-floors-");
        try
        {
            var database = new SqliteDatabase(new StorageOptions { DataDirectory = folder.FullName }, TimeProvider.System);
            await database.MigrateAsync(CancellationToken.None);
            await using var lane = new SqliteWriteLane(database);
            var sessions = new SqliteWriteSessions(lane);
            var store = new SqliteDeliveryStore(database, lane);
            var events = new SqliteEventWriter();
            var input = Encoding.UTF8.GetString(body);
            var metadata = JsonNode.Parse(body)!["metadata"]!.ToJsonString();
            const string owner = "floors:1";
            var pending = new List<JobCompletion>();

            async Task RunAsync(int n)
            {
                for (var done = 0; done < n; done += batch)
                {
                    var now = DateTimeOffset.UtcNow;
                    var group = Enumerable.Range(0, Math.Min(batch, n - done)).Select(_ =>
                    {
                        var eventId = Guid.CreateVersion7(now).ToString();
                        return (Event: new EventRecord
                            {
                                EventId = WebhookEventId.From(eventId), OrgId = new OrganizationId("bench-org"), ConfigId = new ConfigId("bench-config"), EventName = "bench", CreatedAt = now,
                                Status = EventStatus.InProgress, HttpMethod = "POST", Url = "http://127.0.0.1:9/hooks/bench", Metadata = metadata, Input = input,
                            },
                            Job: new DeliveryJob
                            {
                                EventId = WebhookEventId.From(eventId), OrgId = new OrganizationId("bench-org"), ConfigId = new ConfigId("bench-config"), Kind = JobKind.Deliver, DueAt = now, LeaseOwner = owner, LeaseUntil = now.AddMinutes(2),
                            });
                    }).ToList();
                    var finished = pending;
                    // As the group commit writes one batch: the new events with their jobs, then the outcomes (job ends, attempts, event updates).
                    var ids = await sessions.WriteAsync(async session =>
                    {
                        await events.InsertAsync(session, group.ConvertAll(d => d.Event), CancellationToken.None);
                        var jobIds = await store.EnqueueAsync(session, group.ConvertAll(d => d.Job), chain: false, CancellationToken.None);
                        var held = await store.CompleteAsync(session, finished, CancellationToken.None);
                        await events.AddAttemptsAsync(session, finished.ConvertAll(c => c.Attempt!), CancellationToken.None);
                        await events.UpdateAsync(session, finished.Where((_, i) => held[i]).Select(c => c.Event).ToList(), CancellationToken.None);
                        return jobIds;
                    }, CancellationToken.None);
                    pending = group.Select((d, i) => new JobCompletion
                    {
                        Job = d.Job with { JobId = ids.Value[i] },
                        Owner = owner,
                        Event = new EventUpdate
                        {
                            EventId = d.Event.EventId, Status = EventStatus.Succeeded, RetryAttempt = 0, Payload = StoredPayload.PayloadIsInput,
                            HttpResponse = """{"status_code":200}""", StartDate = now, EndDate = now,
                        },
                        Attempt = new DeliveryAttempt { EventId = d.Event.EventId, OrgId = new OrganizationId("bench-org"), Number = 1, Kind = JobKind.Deliver, StartedAt = now, DurationMs = 1, StatusCode = 200 },
                    }).ToList();
                }
            }

            var (ms, timed, _, rounds) = await MeasureAsync(count, RunAsync);
            Console.WriteLine($"  queue writes: {rounds} warm-up rounds; timed {timed} deliveries, {ms.ToString("0.0000", CultureInfo.InvariantCulture)} ms CPU each (SQLite in WAL mode, synchronous=NORMAL, Herald's schema)");
            return ms;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The delivery benchmark's trigger body as Herald takes it: parsed (duplicate properties refused), metadata
    /// checked and filled, serialized (the body, and the metadata for its own column).
    /// </summary>
    private static async Task<double> TriggerBodyAsync(byte[] body, int count)
    {
        var config = new WebhookConfig { Name = "bench", EventName = "bench" };
        var options = new JsonDocumentOptions { AllowDuplicateProperties = false };
        var total = 0L;
        var (ms, timed, _, rounds) = await MeasureAsync(count, n =>
        {
            for (var i = 0; i < n; i++)
            {
                var parsed = JsonNode.Parse(body, documentOptions: options)!.AsObject();
                var (payload, _) = TriggerPayload.Fill(parsed, "bench-config", config, new OrganizationId("bench-org"), DateTimeOffset.UtcNow, Guid.NewGuid());
                total += payload!.ToJsonString().Length + payload["metadata"]!.ToJsonString().Length;
            }
            return Task.CompletedTask;
        });
        Console.WriteLine($"  trigger body: {rounds} warm-up rounds; timed {timed} bodies, {ms.ToString("0.0000", CultureInfo.InvariantCulture)} ms CPU each ({total} characters written in all)");
        return ms;
    }

    /// <summary>
    /// CPU time of this process per operation, timed over at least <paramref name="count"/> operations and at least
    /// <see cref="TimedPart"/>, after warm-up rounds of at least a fifth of that count and <see cref="RoundTime"/> each
    /// until they settle (<see cref="WarmUp"/>): the JIT recompiles hot code for a long while, and its work would
    /// otherwise land in the figure. Rounds of a fixed count were too short for the cheap parts: a round of 2,000 trigger
    /// bodies takes 20 ms, less than the tiered JIT waits before it recompiles (100 ms), so rounds looked settled while
    /// code still ran unoptimized, and the same part measured twice as dear in one run as in the next.
    /// </summary>
    private static async Task<(double CpuMs, int Count, TimeSpan Elapsed, int Rounds)> MeasureAsync(int count, Func<int, Task> run)
    {
        // The probe runs cold, so it overrates an operation's time and the first rounds come out shorter than meant;
        // each round is sized again from the one before.
        var round = Math.Max(1000, count / 5);
        var clock = Stopwatch.StartNew();
        await run(round);
        var perOperation = clock.Elapsed / round;
        var warmUp = await WarmUp.RunAsync(() => Math.Max(round, (int)(RoundTime / perOperation)), async n =>
        {
            clock.Restart();
            await run(n);
            perOperation = clock.Elapsed / n;
        }, Cpu, () => TieredJit.ThreadCpuTime(Environment.ProcessId));
        var timed = Math.Max(count, (int)(TimedPart / perOperation));
        var cpu = Cpu();
        clock.Restart();
        await run(timed);
        return ((Cpu() - cpu).TotalMilliseconds / timed, timed, clock.Elapsed, warmUp.CostsMs.Count);
    }

    /// <summary>The least time of one warm-up round.</summary>
    private static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(0.5);

    /// <summary>The least time of the timed part.</summary>
    private static readonly TimeSpan TimedPart = TimeSpan.FromSeconds(3);

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
