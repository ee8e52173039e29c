using System.Net;
using System.Text;
using Herald.Server.Http;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Hosting;

/// <summary>
/// <c>Requests:MaxBodyBytesInFlight</c> and its share per organization: the request bodies a node reads and holds at
/// once are bounded, so many large requests at once (slow to send, or simply many) cannot take the node's memory, and
/// one organization's leave the others room.
/// </summary>
public sealed class RequestBodyScenarios : ReceiverScenario
{
    private const int Mebibyte = 1024 * 1024;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Requests:MaxBodyBytesInFlight"] = (10 * Mebibyte + Mebibyte / 2).ToString(),
        ["Requests:MaxBodyBytesInFlightPerOrganization"] = (6 * Mebibyte).ToString(),
    };

    private ByteBudget<string> Budget => App.Services.GetRequiredService<ByteBudget<string>>();

    /// <summary>Waits until the node holds no room for bodies: each request gave its room back when it ended.</summary>
    private Task AllGivenBackAsync() =>
        Eventually.ReturnsAsync(() => Task.FromResult(Budget.Held), bytes => bytes == 0, "every request's room for its body to be given back");

    /// <summary>A trigger whose body is sent but for its last byte until <paramref name="release"/> completes.</summary>
    private Task<HttpResponseMessage> HeldTriggerAsync(string token, string configId, int bytes, Task release, bool knownLength = true) =>
        HeldBody.TriggerAsync(App, token, configId, Body(bytes), release, knownLength);

    /// <summary>A trigger's event of exactly <paramref name="bytes"/> bytes.</summary>
    private static byte[] Body(int bytes)
    {
        const string head = """{"metadata":{},"entity":{"_id":"e-1"},"pad":" """;
        var text = head + new string('x', bytes - head.Length - 2) + "\"}";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A config of each organization to the receiver, B's client, and the gate that ends the held bodies.</summary>
    private async Task<(HttpClient ClientB, string ConfigA, string ConfigB, TaskCompletionSource Release)> TwoOrganizationsAsync()
    {
        var clientB = App.Client(HeraldApp.TokenB);
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (configB, _) = await clientB.CreateConfigAsync(Receiver.Url);
        return (clientB, configA, configB, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    [Fact]
    public async Task An_organization_past_its_share_of_request_bodies_gets_429_while_another_organizations_trigger_is_delivered()
    {
        var (clientB, configA, configB, release) = await TwoOrganizationsAsync();

        // A's 5 MiB trigger is being read: it holds 5 MiB of A's 6.
        var held = HeldTriggerAsync(HeraldApp.TokenA, configA, 5 * Mebibyte, release.Task);
        await Eventually.ReturnsAsync(() => Task.FromResult(Budget.HeldBy(HeraldApp.OrgA)), bytes => bytes > 5 * Mebibyte - 10, "A's held body to be taken");

        // A's next one would pass A's share: 429, named, with Retry-After, its event never written.
        var refused = await Client.PostAsync($"/v1/webhooks/configs/{configA}/trigger", new ByteArrayContent(Body(2 * Mebibyte)), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var message = (await refused.ReadAsync())["message"]!.GetValue<string>();
        Assert.Contains("Organization org-a", message);
        Assert.Contains("Requests:MaxBodyBytesInFlightPerOrganization (6291456 bytes)", message);
        Assert.Equal(TimeSpan.FromSeconds(BodyAllowance.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);

        // B is within its own share: its trigger is accepted and delivered meanwhile.
        var eventB = (await clientB.TriggerAsync(configB))["event_id"]!.GetValue<string>();
        await clientB.EventWithStatusAsync(configB, eventB, "succeeded");

        // A's held trigger completes; its room is given back when its request ends, and A may send again.
        release.SetResult();
        var first = await held;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AllGivenBackAsync();
        var again = await Client.PostAsync($"/v1/webhooks/configs/{configA}/trigger", new ByteArrayContent(Body(2 * Mebibyte)), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var events = await (await Client.PostJsonAsync($"/v2/webhooks/configs/{configA}/events", "{}")).ReadAsync();
        Assert.Equal(2, events["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Bodies_past_the_nodes_bound_get_503_naming_it_though_each_organization_is_within_its_share()
    {
        var (clientB, configA, configB, release) = await TwoOrganizationsAsync();

        // 5 MiB for A and 5 MiB for B: 10 of the node's 10.5.
        var heldA = HeldTriggerAsync(HeraldApp.TokenA, configA, 5 * Mebibyte, release.Task);
        var heldB = HeldTriggerAsync(HeraldApp.TokenB, configB, 5 * Mebibyte, release.Task);
        await Eventually.ReturnsAsync(() => Task.FromResult(Budget.Held), bytes => bytes > 10 * Mebibyte - 10, "both held bodies to be taken");

        var refused = await clientB.PostAsync($"/v1/webhooks/configs/{configB}/trigger", new ByteArrayContent(Body(Mebibyte / 2)), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Requests:MaxBodyBytesInFlight (11010048 bytes)", (await refused.ReadAsync())["message"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter);

        // A small body still fits.
        await clientB.TriggerAsync(configB);

        release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await heldA).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await heldB).StatusCode);
        await AllGivenBackAsync();
    }

    [Fact]
    public async Task A_body_sent_without_a_length_takes_room_as_it_arrives_and_is_refused_when_it_outgrows_its_share()
    {
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = HeldTriggerAsync(HeraldApp.TokenA, configA, 5 * Mebibyte, release.Task);
        await Eventually.ReturnsAsync(() => Task.FromResult(Budget.HeldBy(HeraldApp.OrgA)), bytes => bytes > 5 * Mebibyte - 10, "A's held body to be taken");

        // Chunked, so nothing is known up front: it is let in, and refused once its buffer would pass A's share.
        var refused = await HeldTriggerAsync(HeraldApp.TokenA, configA, 3 * Mebibyte, Task.CompletedTask, knownLength: false);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        await AllGivenBackAsync();
    }

    [Fact]
    public async Task A_sync_trigger_holds_at_least_the_minimum_while_it_waits_for_its_receiver_and_gives_it_back_when_answered()
    {
        var (configA, _) = await Client.CreateConfigAsync(Receiver.Url);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Enqueue(new Answer.Gated(answer.Task));

        var sync = Client.TriggerAsync(configA, sync: true);
        await Receiver.WaitForAsync(1);

        // Its body is a few dozen bytes; what it holds in flight is counted as the minimum.
        Assert.Equal(BodyAllowance.MinimumBytes, Budget.HeldBy(HeraldApp.OrgA));
        answer.SetResult();
        Assert.Equal("succeeded", (await sync)["status"]!.GetValue<string>());
        await AllGivenBackAsync();
    }

    [Theory]
    [InlineData("4194304", null, "Requests:MaxBodyBytesInFlightPerOrganization (2097152) must be at least 5242880 bytes")]
    [InlineData("16777216", "4194304", "Requests:MaxBodyBytesInFlightPerOrganization (4194304) must be at least 5242880 bytes")]
    [InlineData("16777216", "33554432", "Requests:MaxBodyBytesInFlightPerOrganization (33554432) must be at most Requests:MaxBodyBytesInFlight (16777216)")]
    public void Settings_that_could_never_read_a_trigger_or_pass_the_node_refuse_to_start_naming_them(string perNode, string? perOrganization, string expected)
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?>
        {
            ["Requests:MaxBodyBytesInFlight"] = perNode,
            ["Requests:MaxBodyBytesInFlightPerOrganization"] = perOrganization,
        });

        Assert.Contains(expected, error.ToString());
    }
}
