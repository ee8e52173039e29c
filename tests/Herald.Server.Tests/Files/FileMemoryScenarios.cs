using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Files;

/// <summary>
/// A 50 MB file sent as <c>binary_multipart</c> by a separate Herald process: the file is spooled to disk and
/// streamed, so the process's peak resident memory (<c>VmHWM</c>) grows by far less than three times the file.
/// </summary>
public sealed class FileMemoryScenarios
{
    private const int FileBytes = 50 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_50_MB_multipart_delivery_grows_heralds_peak_memory_by_less_than_three_times_the_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("reads /proc/<pid>/status");
        }
        await using var s3 = await S3rver.StartAsync(Ct);
        await using var receiver = await Receiver.StartAsync();
        using var data = new TempDirectory("herald-file-memory");
        var file = Path.Combine(data.Path, "big.bin");
        await using (var out_ = File.Create(file))
        {
            var chunk = new byte[1024 * 1024];
            var random = new Random(9);
            for (var i = 0; i < FileBytes / chunk.Length; i++)
            {
                random.NextBytes(chunk);
                await out_.WriteAsync(chunk, Ct);
            }
        }
        await s3.PutFileAsync("org-memory/big.bin", file);
        await s3.PutAsync("org-memory/small.bin", FileDeliveryScenarios.Bytes(1000, 1));
        var settings = new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = Path.Combine(data.Path, "data"),
            ["Auth:Tokens:0:Token"] = "memory",
            ["Auth:Tokens:0:OrgId"] = "org-memory",
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Delivery:AttemptTimeout"] = "00:02:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in s3.Settings)
        {
            settings[key] = value!;
        }
        await using var herald = await HeraldProcess.StartAsync("file-memory", settings, Ct);
        using var client = herald.Client("memory");
        var (configId, _) = await client.CreateConfigAsync(receiver.Url, """ "deliveryMode":"binary_multipart" """);

        // A small file first: what the first delivery loads (code, the S3 client) is not the file's growth.
        await DeliverAsync(client, configId, FileDeliveryScenarios.Attachment("org-memory/small.bin", "small.bin", "application/octet-stream", 1000));
        var before = PeakKilobytes(herald.ProcessId);
        await DeliverAsync(client, configId, FileDeliveryScenarios.Attachment("org-memory/big.bin", "big.bin", "application/octet-stream", FileBytes));
        var after = PeakKilobytes(herald.ProcessId);

        var received = await receiver.WaitForAsync(2);
        Assert.Equal(FileBytes, (await FileForm.PartsAsync(received[1])).Single().Content.Length);
        var growth = (after - before) * 1024L;
        TestContext.Current.TestOutputHelper?.WriteLine($"VmHWM {before} kB before, {after} kB after: grew {growth / (1024.0 * 1024):0.0} MiB for a {FileBytes / (1024 * 1024)} MiB file");
        Assert.True(growth < 3L * FileBytes, $"VmHWM grew by {growth} bytes ({before} kB to {after} kB) for a {FileBytes}-byte file");
    }

    private static async Task DeliverAsync(HttpClient client, string configId, string attachment)
    {
        var eventId = (await client.TriggerAsync(configId, FileDeliveryScenarios.FileEvent(attachment)))["event_id"]!.GetValue<string>();
        var ended = await Eventually.ReturnsAsync(
            () => client.EventAsync(configId, eventId), e => e["status"]?.GetValue<string>() is "succeeded" or "failed", $"event {eventId} to end", TimeSpan.FromMinutes(2));
        Assert.True(ended["status"]!.GetValue<string>() == "succeeded", ended.ToJsonString());
    }

    private static long PeakKilobytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
