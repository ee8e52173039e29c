using System.Net;
using System.Text;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Hosting;

/// <summary>
/// <c>Requests:MaxConcurrentPerOrganization</c> and <c>Requests:MaxQueuedPerOrganization</c>: a node handles at most so
/// many of one organization's API requests at once, the next wait their turn, one more is answered 429; another
/// organization's requests are handled meanwhile.
/// </summary>
public sealed class RequestTurnScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Requests:MaxConcurrentPerOrganization"] = "2",
        ["Requests:MaxQueuedPerOrganization"] = "1",
    };

    private ByteBudget<string> Bodies => App.Services.GetRequiredService<ByteBudget<string>>();

    private double Waiting => HostGauges.Read(App.Services, RequestBodies.MeterName, "herald.requests.waiting");

    /// <summary>A trigger of A's whose body is sent but for its last byte until <paramref name="release"/>: its request is in progress until then.</summary>
    private Task<HttpResponseMessage> HeldTriggerAsync(string configId, Task release) =>
        HeldBody.TriggerAsync(App, HeraldApp.TokenA, configId, Encoding.UTF8.GetBytes("""{"metadata":{},"entity":{"_id":"e-1"}}"""), release);

    [Fact]
    public async Task An_organizations_requests_past_its_turns_wait_and_then_get_429_while_another_organizations_are_handled_at_once()
    {
        var clientB = App.Client(HeraldApp.TokenB);
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (configB, _) = await clientB.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A's two turns are taken by triggers whose bodies are still arriving (each holds the least room for a body).
        var held = new[] { HeldTriggerAsync(configA, release.Task), HeldTriggerAsync(configA, release.Task) };
        await Eventually.ReturnsAsync(() => Task.FromResult(Bodies.HeldBy(HeraldApp.OrgA)), bytes => bytes == 2 * BodyAllowance.MinimumBytes, "A's two triggers to be in progress");

        // A's third waits for a turn.
        var waiting = Client.GetAsync("/v1/webhooks/configs", Ct);
        await Eventually.ReturnsAsync(() => Task.FromResult(Waiting), n => n == 1, "A's third request to wait for its turn");
        Assert.False(waiting.IsCompleted);

        // A's fourth finds the one place in A's queue taken: 429, naming both settings, with Retry-After.
        var refused = await Client.GetAsync("/v1/webhooks/configs", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var message = (await refused.ReadAsync())["message"]!.GetValue<string>();
        Assert.Contains("Organization org-a already has 2 requests in progress on this node and 1 waiting", message);
        Assert.Contains("Requests:MaxConcurrentPerOrganization", message);
        Assert.Contains("Requests:MaxQueuedPerOrganization", message);
        Assert.Equal(TimeSpan.FromSeconds(RequestTurns.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);

        // B takes turns of its own: its requests are handled, its trigger accepted, while A's wait. (Checked before B's
        // delivery ends: A's held bodies stall, and past Kestrel's grace for a slow body, 5 s, it may end them, and with
        // them A's turns, on a machine slowed by the tests beside this one.)
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/v1/webhooks/configs", Ct)).StatusCode);
        var eventB = (await clientB.TriggerAsync(configB))["event_id"]!.GetValue<string>();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, Waiting);

        // A's triggers end; the waiting request gets its turn.
        release.SetResult();
        foreach (var trigger in held)
        {
            Assert.Equal(HttpStatusCode.OK, (await trigger).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
        Assert.Equal(0, Waiting);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/webhooks/configs", Ct)).StatusCode);
        await clientB.EventWithStatusAsync(configB, eventB, "succeeded");
    }

    [Fact]
    public async Task A_sync_trigger_gives_its_turn_back_while_it_waits_for_its_receiver()
    {
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(answer.Task);

        // Three sync triggers wait for the receiver, more than A's two turns and its place in the queue.
        var syncs = Enumerable.Range(0, 3).Select(_ => Client.TriggerAsync(configA, sync: true)).ToList();
        await Receiver.WaitForAsync(3);

        // None holds a turn while it waits: A's next request is handled at once.
        var list = Client.GetAsync("/v1/webhooks/configs", Ct);
        var first = await Task.WhenAny(list, Task.Delay(TimeSpan.FromSeconds(10), Ct));
        Assert.True(ReferenceEquals(first, list), "A's request waited behind its sync triggers");
        Assert.Equal(HttpStatusCode.OK, (await list).StatusCode);

        answer.SetResult();
        foreach (var sync in syncs)
        {
            Assert.Equal("succeeded", (await sync)["status"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("Requests:MaxConcurrentPerOrganization", "0", "Requests:MaxConcurrentPerOrganization (0) must be at least 1")]
    [InlineData("Requests:MaxQueuedPerOrganization", "-1", "Requests:MaxQueuedPerOrganization (-1) must be at least 0")]
    public void Turns_out_of_range_refuse_to_start_naming_the_setting(string setting, string value, string expected)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { [setting] = value });

        Assert.Contains(expected, error.ToString());
    }
}
