using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

public class HealthTests
{
    [Fact]
    public async Task Live_and_ready_answer_without_a_token()
    {
        using var app = new HeraldApp();
        var client = app.Client(token: null);

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Sqlite", (await ready.ReadAsync())["database"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ready_answers_503_when_the_database_is_gone()
    {
        using var app = new HeraldApp();
        var client = app.Client(token: null);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(app.DataDirectory, recursive: true);
        File.WriteAllText(app.DataDirectory, "not a folder any more");

        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }
}
