using Herald.Server.ApiDocs;
using Herald.Server.Authentication;
using Herald.Server.Catalog;
using Herald.Server.Configs;
using Herald.Server.Console;
using Herald.Server.Delivery;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Herald.Server.Files;
using Herald.Server.Filters;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Intake;
using Herald.Server.Payloads;
using Herald.Server.ReceiverAuth;
using Herald.Server.Recovery;
using Herald.Server.Secrets;
using Herald.Server.Signing;
using Herald.Server.Storage;
using Herald.Server.Telemetry;
using Herald.Server.Transforms;

// A setting Herald cannot start with is one line naming it, and exit code 1: no stack trace. (Hosted by the tests'
// WebApplicationFactory, whose entry assembly is the test host, the exception goes on to the test.)
try
{
    return Start(args);
}
catch (Exception e) when (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly && InvalidSettingException.In(e) is { } refused)
{
    Console.Error.WriteLine(refused.Line);
    return InvalidSettingException.ExitCode;
}

static int Start(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    var roles = Roles.From(builder.Configuration["Roles"]);
    builder.Logging.AddHeraldConsole(builder.Configuration);

    // Bind to loopback only unless the operator chose an address (--urls, ASPNETCORE_URLS, Kestrel endpoints).
    if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
        && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
    {
        builder.WebHost.UseUrls("http://127.0.0.1:5080");
    }

    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton(roles);
    builder.Services.ConfigureHttpJsonOptions(json => HeraldJson.Configure(json.SerializerOptions));
    builder.Services.AddHeraldErrors();
    builder.Services.AddApiDocs();
    builder.Services.AddTelemetry(builder.Configuration);
    builder.Services.AddStorage();
    builder.Services.AddSecrets();
    builder.Services.AddHeraldAuth();
    builder.Services.AddRequestBodies();
    builder.Services.AddRequestHeads();
    builder.Services.AddRequestTurns();
    builder.Services.AddExpressions(builder.Configuration);
    builder.Services.AddCatalog();
    builder.Services.AddSigning(runCleanup: roles.Worker);
    builder.Services.AddConfigs();
    builder.Services.AddEnvironments();
    builder.Services.AddEvents(runRetention: roles.Worker);
    builder.Services.AddEgress();
    builder.Services.AddFiles();
    builder.Services.AddPayloads();
    builder.Services.AddFilters();
    builder.Services.AddReceiverAuth();
    builder.Services.AddTransforms();
    builder.Services.AddDelivery(runWorkers: roles.Worker);
    builder.Services.AddIntake();
    builder.Services.AddIdempotency();
    builder.Services.AddRecovery(runWorker: roles.Worker);
    builder.Services.AddConsole(builder.Configuration);

    var app = builder.Build();
    // A taken port is one line and exit code 1, before any worker starts or a master key is generated.
    if (ListenCheck.TakenAddress(app) is { } taken)
    {
        Console.Error.WriteLine(ListenCheck.Explain(taken));
        return ListenCheck.ExitCode;
    }
    app.LogStartWarnings(roles);

    // Resolve the master key at start, so a missing or malformed key fails the start, not the first request.
    app.Services.GetRequiredService<SecretBox>();
    // Likewise a malformed egress proxy URL, and a rotation overlap out of range.
    app.Services.GetRequiredService<EgressProxies>();
    app.Services.GetRequiredService<SigningOptions>();
    app.Services.GetRequiredService<RecoveryOptions>();
    // And the config limits (Configs:MaxRateLimit and the others), read by the API only when a config is written.
    app.Services.GetRequiredService<ConfigsOptions>();
    app.Services.GetRequiredService<EnvironmentsOptions>();
    // And the room for request bodies (Requests:MaxBodyBytesInFlight and its share per organization).
    app.Services.GetRequiredService<RequestOptions>();
    // And a master key that opens the stored secrets (a changed key without the one it replaced fails every delivery).
    app.Services.GetRequiredService<Resealing>().CheckStoredSecretsAsync(CancellationToken.None).GetAwaiter().GetResult();
    // And every background service with what it reads: a setting Herald cannot start with stops it here, before the
    // host starts (and logs the failure with a stack trace of its own).
    _ = app.Services.GetServices<IHostedService>().ToList();

    app.UseHeraldErrors();
    app.UseRequestHeads();
    app.UseAuthentication();
    app.UseRequestBodies();
    app.UseRequestTurns();
    app.UseAuthorization();

    app.MapHealth();
    app.MapMetrics();
    if (roles.Api)
    {
        app.MapApiDocs();
        app.MapPublicKey();
        app.MapRotation();
        app.MapCatalog();
        app.MapExample();
        app.MapConfigs();
        app.MapTrigger();
        app.MapFanOut();
        app.MapTestOAuth();
        app.MapEvents();
        app.MapEnvironments();
        app.MapReplay();
        app.MapRecovery();
        app.MapConsole();
    }

    return ListenCheck.Run(app);
}

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
