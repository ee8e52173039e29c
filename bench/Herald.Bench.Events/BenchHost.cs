using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Herald.Bench.Events;

/// <summary>
/// Herald's real Program on real Kestrel (a free loopback port) in this process, on a SQLite file in
/// <paramref name="dataDirectory"/>, API role only (no workers, no retention pass over the synthetic log), one
/// static token per organization.
/// </summary>
public sealed class BenchHost : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory;
    private readonly IReadOnlyList<string> _orgIds;

    public BenchHost(string dataDirectory, IReadOnlyList<string> orgIds)
    {
        _dataDirectory = dataDirectory;
        _orgIds = orgIds;
        UseKestrel(0);
    }

    public static string Token(string orgId) => $"bench-token-{orgId}";

    public string DatabasePath => Path.Combine(_dataDirectory, "herald.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Roles", "api");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:DataDirectory", _dataDirectory);
        builder.UseSetting("Secrets:MasterKey", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:Format", "text");
        for (var i = 0; i < _orgIds.Count; i++)
        {
            builder.UseSetting($"Auth:Tokens:{i}:Token", Token(_orgIds[i]));
            builder.UseSetting($"Auth:Tokens:{i}:OrgId", _orgIds[i]);
        }
    }

    public HttpClient ClientFor(string orgId)
    {
        StartServer();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(orgId));
        return client;
    }
}
