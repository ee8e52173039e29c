using Herald.Server.Authentication;
using Herald.Server.Egress;

namespace Herald.Server.Hosting;

/// <summary>
/// What an operator must know before trusting this start, logged once as warnings: the destination guard is off,
/// no caller can authenticate, or the process runs with the Development settings. (A generated master key is
/// warned about where it is resolved, in <c>Secrets/</c>.)
/// </summary>
public static partial class StartWarnings
{
    public const string Category = "Herald.Start";

    public static void LogStartWarnings(this WebApplication app, Roles roles)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        if (app.Environment.IsDevelopment())
        {
            LogDevelopment(logger);
        }
        if (app.Services.GetRequiredService<EgressOptions>().AllowPrivateNetworks)
        {
            LogGuardOff(logger);
        }
        if (roles.Api && app.Services.GetRequiredService<StaticTokens>().Count == 0 && !app.Services.GetRequiredService<AuthOptions>().Jwt.IsConfigured)
        {
            LogNoCallers(logger);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Running in the Development environment: appsettings.Development.json adds a well-known token (organization dev-org) and turns the destination guard off. Never deploy with ASPNETCORE_ENVIRONMENT=Development.")]
    private static partial void LogDevelopment(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The destination guard is off (Delivery:AllowPrivateNetworks is true): configs can make Herald call loopback, private networks and cloud metadata addresses. Outside development, set it to false and list only the networks receivers need in Delivery:AllowedNetworks.")]
    private static partial void LogGuardOff(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "No API caller is configured (no Auth:Tokens and no Auth:Jwt:SigningKey or Auth:Jwt:Authority): every API call will be answered 401. Add a token with Auth:Tokens:0:Token and Auth:Tokens:0:OrgId, or configure Auth:Jwt.")]
    private static partial void LogNoCallers(ILogger logger);
}
