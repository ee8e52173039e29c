using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Client;

/// <summary>Registers <see cref="IHeraldClient"/> as a typed client of <see cref="IHttpClientFactory"/>.</summary>
public static class HeraldClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IHeraldClient"/> (and <see cref="HeraldClient"/>) with an <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/> whose base address, timeout and bearer token come from
    /// <paramref name="configure"/>. Returns the client's builder, so that handlers such as retries can be added.
    /// </summary>
    /// <exception cref="OptionsValidationException">On first use, when <see cref="HeraldClientOptions.BaseAddress"/> is not set or not absolute.</exception>
    public static IHttpClientBuilder AddHeraldClient(this IServiceCollection services, Action<HeraldClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var name = nameof(HeraldClient);
        services.AddOptions<HeraldClientOptions>(name)
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "HeraldClientOptions.BaseAddress must be set to Herald's absolute base address, e.g. https://herald.example.com/");
        var builder = services.AddHttpClient<IHeraldClient, HeraldClient>(name, (provider, http) =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<HeraldClientOptions>>().Get(name);
            http.BaseAddress = WithTrailingSlash(options.BaseAddress!);
            http.Timeout = options.Timeout;
        });
        builder.AddHttpMessageHandler(provider => new BearerTokenHandler(provider, provider.GetRequiredService<IOptionsMonitor<HeraldClientOptions>>(), name));
        services.AddTransient(provider => (HeraldClient)provider.GetRequiredService<IHeraldClient>());
        return builder;
    }

    // Relative paths resolve against the last segment: without the slash, https://host/herald would lose "herald".
    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
