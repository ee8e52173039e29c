using System.Text.Json;

namespace Herald.Bench;

/// <summary>
/// The floors benchmark's parts (<c>bench/Herald.Bench.Floors</c>), CPU ms per delivery: the plain exchange (a delivery
/// makes two), the signatures, the queue writes and the trigger body. Written by that benchmark with <c>--json</c>, read
/// by the delivery benchmark, which runs it as a step so that Herald and its floor are measured in the same run.
/// </summary>
public sealed record FloorParts(double ExchangeCpuMs, double ExchangesPerSecond, double SigningMs, double QueueWritesMs, double TriggerBodyMs)
{
    /// <summary>Everything a delivery must cost: two exchanges and the parts.</summary>
    public double FloorMs => 2 * ExchangeCpuMs + SigningMs + QueueWritesMs + TriggerBodyMs;

    /// <summary>The best ratio to the baseline a delivery costing <see cref="FloorMs"/> reaches with CPU as the limit.</summary>
    public double Ceiling => ExchangeCpuMs / FloorMs;

    /// <summary>
    /// The same parts with another measure of the exchange in place of this process's: the engine run's own baseline,
    /// taken seconds before its timed part, where the floors ran minutes apart in a process of their own.
    /// </summary>
    public FloorParts WithExchange(double exchangeCpuMs) => this with { ExchangeCpuMs = exchangeCpuMs };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    public static FloorParts Read(string path) =>
        JsonSerializer.Deserialize<FloorParts>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} holds no floor parts");
}
