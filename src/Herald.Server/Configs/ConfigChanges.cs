namespace Herald.Server.Configs;

/// <summary>
/// Counts the config writes this process has made through its store: a value read before a config was read tells,
/// when it is unchanged later, that no write of this process has happened since.
/// </summary>
public sealed class ConfigChanges
{
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public void Changed() => Interlocked.Increment(ref _generation);
}
