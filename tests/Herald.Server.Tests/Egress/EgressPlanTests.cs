using Herald.Server.Configs;
using Herald.Server.Delivery;
using Herald.Server.Egress;

namespace Herald.Server.Tests.Egress;

public sealed class EgressPlanTests
{
    private const string Integration = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    private static EgressProxies Proxies(string? staticIp = null, string? secureDefault = null, params (string Key, string Url)[] secure)
    {
        var options = new EgressOptions { StaticIpProxy = staticIp, SecureProxy = secureDefault };
        foreach (var (key, url) in secure)
        {
            options.SecureProxies[key] = url;
        }
        return new EgressProxies(options);
    }

    private static WebhookConfig Config(bool? staticIp = null, bool secure = false, string slug = "erp-sap") => new()
    {
        EnableStaticIP = staticIp,
        SecureProxy = secure ? new SecureProxy { IntegrationId = Integration, UseCaseSlug = slug } : null,
    };

    public static TheoryData<string, WebhookConfig, EgressProxies, string?, string?> Cases => new()
    {
        // case, config, proxies -> route name (or null), proxy url, or the unavailable message when the name is null
        { "no egress asked", Config(), Proxies("http://static:3128"), "direct", null },
        { "static ip off", Config(staticIp: false), Proxies("http://static:3128"), "direct", null },
        { "static ip", Config(staticIp: true), Proxies("http://static:3128"), "static-ip", "http://static:3128/" },
        { "static ip not configured", Config(staticIp: true), Proxies(), null, "enableStaticIP asks for the static IP egress proxy" },
        { "secure by integration id", Config(secure: true), Proxies(secure: [(Integration, "http://by-id:1"), ("erp-sap", "http://by-slug:1")]), $"secure-proxy:{Integration}", "http://by-id:1/" },
        { "secure by slug", Config(secure: true), Proxies(secure: ("ERP-SAP", "http://by-slug:1")), "secure-proxy:erp-sap", "http://by-slug:1/" },
        { "secure by default", Config(secure: true, slug: "other"), Proxies(secureDefault: "http://default:1", secure: ("erp-sap", "http://by-slug:1")), "secure-proxy", "http://default:1/" },
        { "secure wins over static ip", Config(staticIp: true, secure: true), Proxies("http://static:3128", "http://default:1"), "secure-proxy", "http://default:1/" },
        { "secure never falls back to static ip", Config(staticIp: true, secure: true), Proxies("http://static:3128"), null, "secureProxy (integration_id 3fa85f64" },
        { "secure not configured", Config(secure: true), Proxies(), null, "secureProxy (integration_id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_config_gets_the_egress_it_asks_for_or_none(string @case, WebhookConfig config, EgressProxies proxies, string? route, string? expected)
    {
        var decision = EgressPlan.For(config, proxies);

        Assert.True(route == decision.Route?.Name, @case);
        if (route is null)
        {
            Assert.StartsWith(expected!, decision.Unavailable);
        }
        else
        {
            Assert.Null(decision.Unavailable);
            Assert.Equal(expected, decision.Route!.Proxy?.ToString());
        }
    }

    [Theory]
    [InlineData("https://proxy:3128")]
    [InlineData("socks5://proxy:1080")]
    [InlineData("proxy:3128")]
    [InlineData("http://proxy:3128/path")]
    [InlineData("http://proxy:3128/?q=1")]
    public void A_proxy_that_is_not_an_http_connect_proxy_url_stops_the_start(string url)
    {
        var error = Assert.Throws<Herald.Server.Http.InvalidSettingException>(() => Proxies(staticIp: url));

        Assert.StartsWith("Delivery:StaticIpProxy must be an http://", error.Message);
    }

    [Fact]
    public void A_malformed_secure_proxy_names_its_key()
    {
        var error = Assert.Throws<Herald.Server.Http.InvalidSettingException>(() => Proxies(secure: ("erp-sap", "ftp://x")));

        Assert.StartsWith("Delivery:SecureProxies:erp-sap must be", error.Message);
    }
}
