namespace Herald.Server.Tests.Support;

/// <summary>Arrange steps for the scheduling scenarios: many triggers at once, and receivers that are slow or gone.</summary>
public static class Backlogs
{
    /// <summary>Fires one async trigger per config in <paramref name="configIds"/>, a few at a time, in order; returns the event ids.</summary>
    public static async Task<IReadOnlyList<string>> TriggerAllAsync(this HttpClient client, IReadOnlyList<string> configIds, int parallel = 8)
    {
        var eventIds = new string[configIds.Count];
        await Parallel.ForAsync(0, configIds.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => eventIds[i] = (await client.TriggerAsync(configIds[i]))["event_id"]!.GetValue<string>());
        return eventIds;
    }

    /// <summary>Receivers that take every request and never answer it.</summary>
    public static async Task<IReadOnlyList<Receiver>> SilentReceiversAsync(int count)
    {
        var receivers = new List<Receiver>();
        for (var i = 0; i < count; i++)
        {
            var receiver = await Receiver.StartAsync();
            receiver.Default = new Answer.Hang();
            receivers.Add(receiver);
        }
        return receivers;
    }

    /// <summary>A loopback url on which nothing listens: connections are refused.</summary>
    public static Uri RefusingUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }

    public static long Count(object? scalar) => Convert.ToInt64(scalar, System.Globalization.CultureInfo.InvariantCulture);
}
