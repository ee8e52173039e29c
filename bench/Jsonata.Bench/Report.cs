namespace Jsonata.Bench;

/// <summary>One expression's medians: this engine on Herald's path and on a parsed input, jsonata-js, and whether both engines' results agree.</summary>
internal sealed record Row(string Name, Measurement HeraldPath, Measurement EngineOnly, Measurement? JsonataJs, bool SameResult)
{
    /// <summary>Ours (Herald's path) over jsonata-js: below 1 means this engine is faster.</summary>
    public double Ratio => JsonataJs == null ? double.NaN : HeraldPath.Median / JsonataJs.Median;
}

internal static class Report
{
    public static void Print(IReadOnlyList<Row> rows, bool compared)
    {
        Console.WriteLine("Median time per evaluation, µs. ours = JsonNode input, depth and time guards, JsonNode result (Herald's path);");
        Console.WriteLine("ours, parsed = JsonataValue.Parse input, no guards, result left as a JsonataValue; ratio = ours / jsonata-js.");
        var table = rows.Select(r => new[]
        {
            r.Name,
            $"{r.HeraldPath.Median:0.00}",
            $"{r.EngineOnly.Median:0.00}",
            r.JsonataJs == null ? "-" : $"{r.JsonataJs.Median:0.00}",
            r.JsonataJs == null ? "-" : $"{r.Ratio:0.000}",
            !compared ? "-" : r.SameResult ? "same" : "DIFFERS",
        }).ToList();
        Table(["expression", "ours", "ours, parsed", "jsonata-js", "ratio", "results"], table);
        Console.WriteLine();

        if (!compared)
        {
            Console.WriteLine("jsonata-js was not run: nothing to compare against (see the message above).");
            return;
        }

        if (rows.Any(r => !r.SameResult))
        {
            Console.WriteLine($"The engines' results differ on {rows.Count(r => !r.SameResult)} of {rows.Count} expressions (see below): no verdict.");
            return;
        }

        var slower = rows.Where(r => !(r.Ratio < 1)).ToList();
        var geometricMean = Math.Exp(rows.Average(r => Math.Log(r.Ratio)));
        Console.WriteLine(slower.Count == 0
            ? $"Faster than jsonata-js on all {rows.Count} expressions: ratios {rows.Min(r => r.Ratio):0.000} to {rows.Max(r => r.Ratio):0.000}, geometric mean {geometricMean:0.000}."
            : $"SLOWER than jsonata-js on {slower.Count} of {rows.Count} expressions: {string.Join(", ", slower.Select(r => $"{r.Name} ({r.Ratio:0.000})"))}; geometric mean {geometricMean:0.000}.");
    }

    private static void Table(string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(Line(headers));
        Console.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }

        string Line(string[] cells) => string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
    }
}
