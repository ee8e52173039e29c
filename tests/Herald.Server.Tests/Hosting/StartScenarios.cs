using System.Net;
using System.Net.Sockets;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>Herald started as an operator starts it (a process of its own): what it says at start, and how it fails.</summary>
public sealed class StartScenarios
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_taken_port_ends_the_start_with_one_line_naming_the_address_and_urls_and_exit_code_1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        using var data = new TempDirectory("herald-taken-port");

        var run = await HeraldProcess.RunToExitAsync(address, new Dictionary<string, string> { ["Storage:DataDirectory"] = data.Path }, TimeSpan.FromSeconds(60), Ct);

        var lines = (run.StandardOutput + run.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.False(run.TimedOut, "Herald kept running on a taken port");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains(address, line);
        Assert.Contains("address already in use", line);
        Assert.Contains("--urls", line);
        Assert.DoesNotContain("   at ", run.StandardOutput + run.StandardError);
    }

    [Fact]
    public async Task Production_without_tokens_or_jwt_warns_that_every_call_will_be_401_and_names_the_settings()
    {
        using var data = new TempDirectory("herald-no-callers");
        await using var herald = await HeraldProcess.StartAsync("no-callers", new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = data.Path,
            ["Logging:Format"] = "text",
        }, Ct);

        var unauthorized = await herald.Client("any-token").GetAsync("/v1/webhooks/configs", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var warning = Assert.Single(herald.Output, l => l.Contains("warn: Herald.Start[3]", StringComparison.Ordinal));
        Assert.Contains("401", warning);
        Assert.Contains("Auth:Tokens", warning);
        Assert.Contains("Auth:Jwt", warning);
        // The master key was generated into the data folder: that is warned about too.
        Assert.Contains(herald.Output, l => l.Contains("warn: Herald.Secrets[100]", StringComparison.Ordinal) && l.Contains(data.Path));
    }

    [Fact]
    public async Task A_configured_token_and_a_master_key_start_without_warnings_and_the_text_format_has_a_space_after_the_timestamp()
    {
        using var data = new TempDirectory("herald-quiet-start");
        await using var herald = await HeraldProcess.StartAsync("quiet", new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = data.Path,
            ["Secrets:MasterKey"] = Convert.ToBase64String(new byte[32]),
            ["Auth:Tokens:0:Token"] = "t",
            ["Auth:Tokens:0:OrgId"] = "o",
            ["Logging:Format"] = "text",
        }, Ct);

        Assert.DoesNotContain(herald.Output, l => l.Contains("warn:", StringComparison.Ordinal));
        var listening = Assert.Single(herald.Output, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Microsoft\.Hosting\.Lifetime\[14\] Now listening on: http://127\.0\.0\.1:\d+$", listening);
    }

    [Fact]
    public async Task The_guard_turned_off_is_warned_about_and_the_json_format_writes_one_object_per_line()
    {
        using var data = new TempDirectory("herald-guard-off");
        await using var herald = await HeraldProcess.StartAsync("guard-off", new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = data.Path,
            ["Auth:Tokens:0:Token"] = "t",
            ["Auth:Tokens:0:OrgId"] = "o",
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Logging:Format"] = "json",
        }, Ct);

        var entries = herald.Output.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        var warning = Assert.Single(entries, e => e["Category"]!.GetValue<string>() == "Herald.Start");
        Assert.Equal(2, warning["EventId"]!.GetValue<int>());
        Assert.Equal("Warning", warning["LogLevel"]!.GetValue<string>());
        Assert.Contains("Delivery:AllowedNetworks", warning["Message"]!.GetValue<string>());
        Assert.All(entries, e => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", e["Timestamp"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_master_key_that_does_not_open_the_stored_secrets_ends_the_start_with_one_line_naming_the_setting()
    {
        using var data = new TempDirectory("herald-other-key");
        var settings = new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = data.Path,
            ["Secrets:MasterKey"] = Convert.ToBase64String(new byte[32]),
            ["Auth:Tokens:0:Token"] = "t",
            ["Auth:Tokens:0:OrgId"] = "o",
        };
        await using (var first = await HeraldProcess.StartAsync("first-key", settings, Ct))
        {
            var created = await first.Client("t").PostAsync("/v1/webhooks/configs",
                new StringContent("""{"name":"Kept","eventName":"order_created","url":"https://r.example"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        settings["Secrets:MasterKey"] = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var run = await HeraldProcess.RunToExitAsync("http://127.0.0.1:0", settings, TimeSpan.FromSeconds(60), Ct);

        var output = run.StandardOutput + run.StandardError;
        Assert.Equal(1, run.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Herald cannot start: Secrets:MasterKey does not open the stored secrets (webhook_configs.secrets of organization o", lines[^1]);
        Assert.Contains("Secrets:PreviousMasterKeys:0", lines[^1]);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain(" fail: ", output);
    }

    [Theory]
    [InlineData("Events:RetentionDays", "0", "Events:RetentionDays must be at least 1 (got 0)")]
    [InlineData("Delivery:MaxLeaseExpiries", "0", "Delivery:MaxLeaseExpiries must be at least 1 (got 0)")]
    [InlineData("Delivery:LeaseMargin", "00:00:00", "Delivery:LeaseMargin must be between 00:00:01 and 00:10:00 (got 00:00:00)")]
    [InlineData("Delivery:FullNodeWait", "-00:00:01", "Delivery:FullNodeWait must be between 00:00:00 and 00:01:00 (got -00:00:01)")]
    [InlineData("Roles", "everything", "Roles must be api, worker or both (got 'everything')")]
    [InlineData("Transforms:TimeLimit", "00:00:00", "Transforms:TimeLimit must be positive (got 00:00:00)")]
    [InlineData("Metrics:QueueReadInterval", "-00:00:01", "Metrics:QueueReadInterval must be positive (got -00:00:01)")]
    [InlineData("Console:SessionLifetime", "00:00:00", "Console:SessionLifetime must be positive (got 00:00:00)")]
    public async Task A_setting_herald_cannot_start_with_ends_the_start_with_one_line_naming_it_and_exit_code_1(string key, string value, string reason)
    {
        using var data = new TempDirectory("herald-bad-setting");

        var run = await HeraldProcess.RunToExitAsync("http://127.0.0.1:0", new Dictionary<string, string> { ["Storage:DataDirectory"] = data.Path, [key] = value },
            TimeSpan.FromSeconds(60), Ct);

        var output = run.StandardOutput + run.StandardError;
        Assert.False(run.TimedOut, "Herald kept running with an invalid setting");
        Assert.Equal(1, run.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The start's own warnings (no tokens, a generated master key) may come first; then the one line, and no trace.
        Assert.Equal($"Herald cannot start: {reason}", lines[^1]);
        Assert.Single(lines, line => line.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain(" fail: ", output);
    }
}
