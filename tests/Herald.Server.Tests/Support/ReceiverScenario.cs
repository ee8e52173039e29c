namespace Herald.Server.Tests.Support;

/// <summary>
/// The arrangement most delivery scenarios share, fresh for every test: Herald on real Kestrel with its fake clock
/// and loopback deliveries allowed, a receiver on a real socket, and a client of organization A. A subclass that
/// overrides <see cref="StorageAsync"/> with <see cref="PostgresServer.StorageAsync"/> runs the same tests on PostgreSQL.
/// </summary>
public abstract class ReceiverScenario : IAsyncLifetime
{
    protected HeraldApp App { get; private set; } = null!;

    protected Receiver Receiver { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>
    /// More receivers of the test (slow, silent...), disposed after the app: its stop abandons the requests they hold, so
    /// they stop at once.
    /// </summary>
    protected List<Receiver> OtherReceivers { get; } = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Settings on top of the scenario's defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Whether the app runs on the system clock rather than its fake one (<see cref="HeraldApp.SystemClock"/>).</summary>
    protected virtual bool SystemClock => false;

    /// <summary>The storage settings of the engine under test: SQLite in a fresh folder unless a subclass picks PostgreSQL.</summary>
    protected virtual Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    public virtual async ValueTask InitializeAsync()
    {
        Receiver = await Receiver.StartAsync();
        var settings = new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" };
        foreach (var (key, value) in (await StorageAsync()).Concat(ExtraSettings))
        {
            settings[key] = value;
        }
        App = new HeraldApp(settings) { SystemClock = SystemClock };
        Client = App.Client();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed && App is not null)
        {
            // What the app logged is what explains a failure seen only in CI: it goes with the test's output.
            foreach (var (level, category, message, error) in App.Logs.Entries)
            {
                TestContext.Current.TestOutputHelper?.WriteLine(error is null ? $"{level} {category}: {message}" : $"{level} {category}: {message}\n{error}");
            }
        }
        // Either may be missing when the engine was skipped during the arrangement.
        (App as IDisposable)?.Dispose();
        if (Receiver is { } receiver)
        {
            await receiver.DisposeAsync();
        }
        foreach (var other in OtherReceivers)
        {
            await other.DisposeAsync();
        }
    }
}
