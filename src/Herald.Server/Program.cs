using Herald.Server.Authentication;
using Herald.Server.Catalog;
using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Herald.Server.FanOut;
using Herald.Server.Filters;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Payloads;
using Herald.Server.ReceiverAuth;
using Herald.Server.Replay;
using Herald.Server.Secrets;
using Herald.Server.Signing;
using Herald.Server.Storage;
using Herald.Server.Transforms;

var builder = WebApplication.CreateBuilder(args);
var roles = Roles.From(builder.Configuration["Roles"]);

// Bind to loopback only unless the operator chose an address (--urls, ASPNETCORE_URLS, Kestrel endpoints).
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
    && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(roles);
builder.Services.ConfigureHttpJsonOptions(json => HeraldJson.Configure(json.SerializerOptions));
builder.Services.AddOpenApi();
builder.Services.AddStorage();
builder.Services.AddSqliteCheckpoints();
builder.Services.AddSecrets();
builder.Services.AddHeraldAuth();
builder.Services.AddExpressions();
builder.Services.AddCatalog();
builder.Services.AddSigning();
builder.Services.AddConfigs();
builder.Services.AddEnvironments();
builder.Services.AddEvents(runRetention: roles.Worker);
builder.Services.AddEgress();
builder.Services.AddPayloads();
builder.Services.AddFilters();
builder.Services.AddReceiverAuth();
builder.Services.AddTransforms();
builder.Services.AddDelivery(runWorkers: roles.Worker);
builder.Services.AddFanOut();
builder.Services.AddIdempotency();

var app = builder.Build();

// Resolve the master key at start, so a missing or malformed key fails the start, not the first request.
app.Services.GetRequiredService<SecretBox>();
// Likewise a malformed egress proxy URL.
app.Services.GetRequiredService<EgressProxies>();

app.UseHeraldErrors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
if (roles.Api)
{
    app.MapOpenApi();
    app.MapPublicKey();
    app.MapCatalog();
    app.MapExample();
    app.MapConfigs();
    app.MapTrigger();
    app.MapFanOut();
    app.MapTestOAuth();
    app.MapEvents();
    app.MapEnvironments();
    app.MapReplay();
}

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
