using System.Net;
using System.Net.Sockets;
using System.Text;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Egress;

/// <summary>
/// A receiver that sends its status line and headers, then resets the connection in the middle of the body: the
/// attempt is a retryable <c>CONNECTION_ERROR</c> (which the destination's breaker counts), not an unexpected error.
/// </summary>
public sealed class BrokenAnswerScenarios : ReceiverScenario
{
    [Fact]
    public async Task A_connection_reset_in_the_middle_of_the_answer_is_a_connection_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook");
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(Ct);
            var stream = client.GetStream();
            var seen = new StringBuilder();
            var chunk = new byte[8192];
            while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(chunk, Ct);
                if (read == 0)
                {
                    return;
                }
                seen.Append(Encoding.ASCII.GetString(chunk, 0, read));
            }
            await Task.Delay(100, Ct);
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\":"u8.ToArray(), Ct);
            await stream.FlushAsync(Ct);
            await Task.Delay(100, Ct);
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }, Ct);
        var (configId, _) = await Client.CreateConfigAsync(url, """ "retryPolicy":{"enabled":false} """);

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
        await serving;

        Assert.True("CONNECTION_ERROR" == failed["http_response"]!["code"]!.GetValue<string>(), failed["http_response"]!.ToJsonString());
    }
}
