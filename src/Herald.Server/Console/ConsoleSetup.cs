using System.Net.Security;
using Herald.Server.Secrets;
using Herald.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Herald.Server.Console;

public static class ConsoleSetup
{
    /// <summary>
    /// The console's services: Razor components rendered on the server, a session cookie scheme beside the API's
    /// bearer scheme, antiforgery, data protection keys kept in the data folder sealed with the master key, and the
    /// client of Herald's own API.
    /// </summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration configuration)
    {
        var options = (configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions()).Validated();
        services.AddSingleton(options);
        if (!options.Enabled)
        {
            return services;
        }

        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton<ApiAddress>();
        services.AddScoped<HeraldApi>();
        services.AddHttpClient(HeraldApi.ClientName).ConfigurePrimaryHttpMessageHandler(sp => ApiHandler(sp.GetRequiredService<ConsoleOptions>()));

        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleSession.CookieName;
            cookie.Cookie.Path = ConsolePaths.Root;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = ConsolePaths.SignIn;
            cookie.LogoutPath = ConsolePaths.SignOut;
            cookie.AccessDeniedPath = ConsolePaths.SignIn;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnRedirectToLogin = context =>
            {
                // Script calls get a status, pages the sign-in page.
                if (context.Request.Path.StartsWithSegments(ConsolePaths.Api))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                else
                {
                    context.Response.Redirect(context.RedirectUri);
                }
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleSession.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleSession.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ConsoleSession.TokenClaim));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "herald_console_csrf";
            antiforgery.Cookie.Path = ConsolePaths.Root;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The console's own headers decide about framing (Console:FrameAncestors).
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddDataProtection().SetApplicationName("Herald.Console");
        services.AddOptions<KeyManagementOptions>().Configure<StorageOptions, SecretBox, ILoggerFactory>((keys, storage, box, logs) =>
        {
            keys.XmlRepository = new FileSystemXmlRepository(Directory.CreateDirectory(KeysFolder(options, storage)), logs);
            keys.XmlEncryptor = new SealedKeyXmlEncryptor(box);
        });
        services.AddTransient<IStartupFilter, SecurityHeaders.StartupFilter>();
        services.AddSingleton<ISealedFiles>(sp => new SealedKeyFiles(KeysFolder(options, sp.GetRequiredService<StorageOptions>())));
        return services;
    }

    /// <summary>The folder of the console's sealed keys: <c>Console:KeysDirectory</c>, by default <c>console-keys</c> in the data folder.</summary>
    internal static string KeysFolder(ConsoleOptions options, StorageOptions storage) => string.IsNullOrWhiteSpace(options.KeysDirectory)
        ? Path.Combine(storage.DataDirectory, "console-keys")
        : Path.GetFullPath(options.KeysDirectory, storage.DataDirectory);

    /// <summary>The console's routes and its two API extensions; nothing when <c>Console:Enabled</c> is false.</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ConsoleOptions>().Enabled)
        {
            return app;
        }
        // After authentication (added before this), so form tokens are checked against the signed-in session.
        app.UseAntiforgery();
        app.MapConsoleExtensions();
        app.MapConsoleEndpoints();
        app.MapRazorComponents<App>().RequireAuthorization(ConsoleSession.Policy);
        return app;
    }

    /// <summary>
    /// The API client's connection. Its own derived loopback address may be https with a certificate issued for a
    /// public name: that one connection, to this process, accepts the certificate it is given.
    /// </summary>
    private static SocketsHttpHandler ApiHandler(ConsoleOptions options)
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        if (string.IsNullOrWhiteSpace(options.ApiBaseUrl))
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        }
        return handler;
    }
}

/// <summary>The console's fixed paths.</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string SignIn = "/console/signin";
    public const string SignOut = "/console/signout";
    public const string Api = "/console/api";
    public const string Assets = "/console/assets";
}
