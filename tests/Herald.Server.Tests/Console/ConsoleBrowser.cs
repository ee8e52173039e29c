using Herald.Server.Tests.Support;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Console;

/// <summary>
/// One headless Chromium per test class (the system's <c>chromium</c>, or <c>HERALD_TEST_CHROMIUM</c>), a Herald on a
/// real port that may deliver to loopback, and a receiver. Without a browser the tests skip with a message, and fail
/// in CI (<c>CI=true</c>).
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    public string? Unavailable { get; private set; }

    public HeraldApp App { get; } = new(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });

    public Receiver Receiver { get; private set; } = null!;

    public string BaseUrl => App.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Where the screenshots go: a git-ignored folder of the repository.</summary>
    public static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "console-screenshots")).FullName;

    public async ValueTask InitializeAsync()
    {
        Receiver = await Receiver.StartAsync();
        var executable = Environment.GetEnvironmentVariable("HERALD_TEST_CHROMIUM") is { Length: > 0 } given ? given : Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            Unavailable = "No Chromium found (install the Debian package: apt-get install -y chromium, or set HERALD_TEST_CHROMIUM)";
            return;
        }
        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Unavailable = $"Chromium at {executable} could not be started: {e.Message}";
        }
    }

    /// <summary>A fresh browser context (no cookies) and page; skips, or fails in CI, when no browser could start.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        if (Browser is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(Unavailable);
            }
            Assert.Skip(Unavailable ?? "no browser");
        }
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "Europe/Berlin",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/console/signin");
        await page.GetByLabel("API token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Polled, not waited for as an event: WaitForURLAsync checks the load state and then subscribes to it, and a
        // `load` that comes in between is lost (microsoft/playwright-dotnet#3364), which failed a run after 15 s.
        await Assertions.Expect(page).ToHaveURLAsync(SignedIn, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator(".org")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    private static readonly System.Text.RegularExpressions.Regex SignedIn = new("/console/webhooks$");

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await Receiver.DisposeAsync();
        await App.DisposeAsync();
    }
}
