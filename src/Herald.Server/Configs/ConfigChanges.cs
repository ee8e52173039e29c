namespace Herald.Server.Configs;

/// <summary>
/// Counts the config writes this process makes through its store, so that a config read once can be trusted until
/// the next write. A write counts twice: when it starts (<see cref="Writing"/>) and when it has ended, committed or
/// not. In between, its commit may already be visible to others while the write has not ended, so no read is trusted
/// then (<see cref="Stable"/> answers null): whoever has seen a write's effect and triggers next gets the config as
/// written, not the one read before.
/// </summary>
public sealed class ConfigChanges
{
    private long _generation;
    private int _writing;

    /// <summary>
    /// The generation to stamp a read with, or null while a write of this process is under way: then a read must go to
    /// the database and nothing read is trusted. A read stamped with a generation is trusted while <see cref="Stable"/>
    /// answers that same generation, since every write that starts or ends moves it on.
    /// </summary>
    public long? Stable()
    {
        var generation = Interlocked.Read(ref _generation);
        // Read again after the count of writes: a write that ended between the two reads moved the generation on.
        return Volatile.Read(ref _writing) > 0 || Interlocked.Read(ref _generation) != generation ? null : generation;
    }

    /// <summary>Marks a write under way until the scope is disposed, once the write has ended (committed or not).</summary>
    public IDisposable Writing()
    {
        Interlocked.Increment(ref _writing);
        Interlocked.Increment(ref _generation);
        return new Scope(this);
    }

    private sealed class Scope(ConfigChanges changes) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                Interlocked.Increment(ref changes._generation);
                Interlocked.Decrement(ref changes._writing);
            }
        }
    }
}
