namespace Herald.Bench;

/// <summary>The closing tables: throughput against the baseline, sync latency against a direct POST, memory.</summary>
public static class Report
{
    public static void Print(IReadOnlyList<EngineResult> results, FloorResult floor, FloorParts parts, BenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"Floor: a bare relay in its own process (Kestrel in, HttpClient out, {options.Concurrency} forwards in flight; nothing stored, signed or parsed)");
        Table(["", "baseline req/s", "relayed/s", "ratio", "CPU ms per baseline request (bench)", "per relayed event: relay", "per relayed event: bench", "ratio of totals"],
            [[
                "relay", $"{floor.BaselinePerSecond:N0}", $"{floor.RelayedPerSecond:N0}", $"{floor.Ratio:0.00}x", $"{floor.BaselineCpuPerRequest.TotalMilliseconds:0.000}",
                $"{floor.RelayCpuPerEvent.TotalMilliseconds:0.000}", $"{floor.BenchCpuPerEvent.TotalMilliseconds:0.000}", $"{floor.BaselineCpuPerRequest / floor.TotalPerEvent:0.00}x",
            ]]);
        Console.WriteLine();
        Console.WriteLine("Floors, measured in this run by bench/Herald.Bench.Floors (its own process, its own baseline): CPU ms per delivery of the parts every delivery must do");
        Table(["exchange (its baseline)", "exchanges/s", "signatures", "queue writes (SQLite)", "trigger body", "floor (2 exchanges + parts)", "ceiling"],
            [[
                $"{parts.ExchangeCpuMs:0.0000}", $"{parts.ExchangesPerSecond:N0}", $"{parts.SigningMs:0.0000}", $"{parts.QueueWritesMs:0.0000}", $"{parts.TriggerBodyMs:0.0000}",
                $"{parts.FloorMs:0.0000}", $"{parts.Ceiling:0.00}x",
            ]]);
        Console.WriteLine();
        Console.WriteLine($"Async delivery throughput ({options.Events} events, {options.Concurrency} in flight; baseline = plain HttpClient POSTs of the delivered body to the same receiver; of relay = Herald's ratio / the bare relay's; "
            + "of floors ceiling = Herald's ratio / the floors' ceiling, both against a baseline of the same run)");
        Table(["engine", "baseline req/s", "Herald deliveries/s", "ratio", "of relay", "of floors ceiling", "triggers accepted/s", "recorded/s"],
            results.Select(r => new[]
            {
                r.Engine.ToString(), $"{r.BaselinePerSecond:N0}", $"{r.DeliveriesPerSecond:N0}", $"{r.Ratio:0.00}x", $"{r.Ratio / floor.Ratio:0.00}",
                $"{r.Ratio / parts.Ceiling:0.00}", $"{r.TriggersPerSecond:N0}", $"{r.RecordedPerSecond:N0}",
            }));
        Console.WriteLine();
        Console.WriteLine("CPU time per request, ms (bench = this process: load client and receiver); the baseline's one exchange against everything one delivery costs; "
            + "of floor = everything one delivery costs / the floors' floor (the same parts: two exchanges with their client and receiver, and Herald's work)");
        Table(["engine", "baseline: bench", "Herald run: Herald", "Herald run: bench", "Herald run: PostgreSQL", "ratio of totals", "of floor"],
            results.Select(r => new[]
            {
                r.Engine.ToString(), $"{r.Cpu.BaselinePerRequest.TotalMilliseconds:0.000}", $"{r.Cpu.HeraldPerEvent.TotalMilliseconds:0.000}",
                $"{r.Cpu.BenchPerEvent.TotalMilliseconds:0.000}", r.Engine == Engine.Postgres ? $"{r.Cpu.DatabasePerEvent.TotalMilliseconds:0.000}" : "-",
                $"{r.Cpu.BaselinePerRequest / r.Cpu.TotalPerEvent:0.00}x", $"{r.Cpu.TotalPerEvent.TotalMilliseconds / parts.FloorMs:0.00}x",
            }));
        Console.WriteLine();
        // The machine's plain HTTP swings by up to 2x from one minute to the next; the floors' exchange and the engine's
        // baseline are taken minutes apart, and each form of the target leans on one of them. Both forms again, with the
        // baseline of the engine's own run as the exchange: measured at the same moment as Herald, they agree.
        Console.WriteLine("The same against the floors' parts with each engine's own baseline exchange in place of the floors' (measured seconds before Herald's timed part)");
        Table(["engine", "exchange (engine's baseline)", "floor", "ceiling", "of floors ceiling", "of floor"],
            results.Select(r =>
            {
                var own = parts.WithExchange(r.Cpu.BaselinePerRequest.TotalMilliseconds);
                return new[]
                {
                    r.Engine.ToString(), $"{own.ExchangeCpuMs:0.0000}", $"{own.FloorMs:0.0000}", $"{own.Ceiling:0.00}x", $"{r.Ratio / own.Ceiling:0.00}",
                    $"{r.Cpu.TotalPerEvent.TotalMilliseconds / own.FloorMs:0.00}x",
                };
            }));
        Console.WriteLine();
        Console.WriteLine($"Sync trigger latency ({options.SyncRequests} sequential requests; direct = plain POST of the delivered body to the receiver), ms");
        Table(["engine", "sync p50", "sync p99", "direct p50", "direct p99", "p50 ratio", "p99 ratio"],
            results.Select(r => new[]
            {
                r.Engine.ToString(), $"{r.SyncP50:0.00}", $"{r.SyncP99:0.00}", $"{r.DirectP50:0.00}", $"{r.DirectP99:0.00}",
                $"{r.SyncP50 / r.DirectP50:0.0}x", $"{r.SyncP99 / r.DirectP99:0.0}x",
            }));
        Console.WriteLine();
        Console.WriteLine("Herald resident memory during the timed async run (start = before the first trigger, middle = half delivered, end = all recorded), MiB");
        Table(["engine", "start", "middle", "end", "peak (VmHWM)", "allocated per delivery, KiB"],
            results.Select(r => new[]
            {
                r.Engine.ToString(), Mib(r.Memory.Start), Mib(r.Memory.Middle), Mib(r.Memory.End), Mib(r.Memory.Peak),
                $"{r.Memory.AllocatedPerEvent / 1024:0.0}",
            }));
        foreach (var result in results.Where(r => r.Statements is not null))
        {
            PrintStatements(result.Engine.ToString(), result.Statements!);
        }
        Console.WriteLine();
        foreach (var result in results)
        {
            Console.WriteLine($"{result.Engine}: {result.Description}");
            foreach (var check in result.Checks)
            {
                Console.WriteLine($"  ok: {check}");
            }
        }
    }

    /// <summary>Statements, round trips and commits per delivery, by statement, with the WAL and the row changes.</summary>
    public static void PrintStatements(string label, StatementFigures figures)
    {
        Console.WriteLine();
        Console.WriteLine($"{label}: per async delivery in the timed part: {figures.Statements:0.00} statements (BEGIN and COMMIT included), " +
            $"{figures.RoundTrips:0.00} round trips, {figures.Commits:0.00} commits; by statement:");
        Table(["statement", "per delivery", "exec µs", "blocks dirtied", "blocks written", "WAL bytes", "JIT µs", "plans", "plan µs"],
            figures.Kinds.Where(k => k.PerDelivery >= 0.005 || k.JitMicros > 0).Select(k => new[]
            {
                k.Statement, $"{k.PerDelivery:0.000}", $"{k.ExecMicros:0.0}", $"{k.BlocksDirtied:0.000}", $"{k.BlocksWritten:0.000}", $"{k.WalBytes:0}", $"{k.JitMicros:0.0}",
                $"{k.Plans:0.000}", $"{k.PlanMicros:0.0}",
            }));
        Console.WriteLine($"{label}: write-ahead log per delivery (pg_stat_wal, every statement and background work): {figures.WalBytes:0} bytes, " +
            $"{figures.WalRecords:0.0} records, {figures.WalFullPages:0.00} full-page images; exec µs per delivery of all statements: {figures.Kinds.Sum(k => k.ExecMicros):0.0}, " +
            $"plan µs: {figures.Kinds.Sum(k => k.PlanMicros):0.0}");
        Console.WriteLine($"{label}: row changes per delivery (pg_stat_user_tables, partitions summed):");
        Table(["table", "inserts", "updates", "of them HOT", "deletes"],
            figures.Tables.Select(t => new[] { t.Table, $"{t.Inserts:0.000}", $"{t.Updates:0.000}", $"{t.HotUpdates:0.000}", $"{t.Deletes:0.000}" }));
    }

    private static string Mib(long bytes) => $"{bytes / 1024.0 / 1024.0:0}";

    private static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        for (var r = 0; r < all.Count; r++)
        {
            var cells = all[r].Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
            Console.WriteLine("| " + string.Join(" | ", cells) + " |");
            if (r == 0)
            {
                Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
            }
        }
    }
}
