namespace Herald.Server.Tests.Durability;

/// <summary>
/// The durability scenarios run Herald as separate processes and load a 2-core machine on their own, so they run
/// alone, one after the other, once the parallel tests are done.
/// </summary>
[CollectionDefinition(nameof(DurabilityCollection), DisableParallelization = true)]
public sealed class DurabilityCollection;

/// <summary>Settings shared by the Herald processes of the durability scenarios.</summary>
internal static class DurabilityNodes
{
    public const string Token = "durability-token";
    public const string OrgId = "org-durability";

    /// <summary>One fixed key: every restart, and every node of one database, must open the same secrets.</summary>
    public static readonly string MasterKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());

    /// <summary>
    /// A node that may deliver to loopback receivers, logging warnings and, one JSON line each, the attempts it made
    /// (<see cref="Support.HeraldProcess.AttemptedEventIds"/> reads them back).
    /// </summary>
    public static Dictionary<string, string> Settings(string dataDirectory) => new()
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:DataDirectory"] = dataDirectory,
        ["Secrets:MasterKey"] = MasterKey,
        ["Auth:Tokens:0:Token"] = Token,
        ["Auth:Tokens:0:OrgId"] = OrgId,
        ["Delivery:AllowPrivateNetworks"] = "true",
        ["Logging:Format"] = "json",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Herald.Server.Delivery.AttemptRunner"] = "Information",
        ["Logging:LogLevel:Herald.Server.Delivery.AttemptReports"] = "Information",
    };
}
