using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>
/// The runtime settings Herald ships with (README, "Runtime settings"), as the runtime reads them: from the
/// <c>runtimeconfig.json</c> beside the server that operators run.
/// </summary>
public sealed class RuntimeSettingsTests
{
    private static JsonObject ConfigProperties()
    {
        var path = Path.Combine(HeraldProcess.ServerFolder, "Herald.Server.runtimeconfig.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return document["runtimeOptions"]?["configProperties"]?.AsObject() ?? throw new InvalidOperationException($"{path} has no runtimeOptions.configProperties");
    }

    [Fact]
    public void Idle_thread_pool_workers_sleep_at_once_instead_of_spinning()
    {
        var limit = ConfigProperties()["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"];
        Assert.True(limit is not null, "Herald.Server.runtimeconfig.json does not set System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");
        Assert.Equal(0, limit!.GetValue<int>());
    }

    [Fact]
    public void The_server_garbage_collector_is_on()
    {
        Assert.True(ConfigProperties()["System.GC.Server"]?.GetValue<bool>() == true, "Herald.Server.runtimeconfig.json does not turn System.GC.Server on");
    }
}
