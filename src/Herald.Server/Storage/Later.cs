namespace Herald.Server.Storage;

/// <summary>
/// What a write answers once its session has sent it. On PostgreSQL a statement whose answer nobody needs before the
/// commit goes with the commit, in the transaction's last round trip, and its rows arrive then; on SQLite it is known
/// at once. Read <see cref="Value"/> only after <see cref="IWriteSessions.WriteAsync{T}"/> returned.
/// </summary>
public sealed class Later<T>
{
    private readonly Func<T> _read;
    private T? _value;
    private bool _known;

    private Later(Func<T> read) => _read = read;

    /// <summary>A value known already.</summary>
    public static Later<T> Now(T value) => new(() => value);

    /// <summary>A value <paramref name="read"/> makes from what the session's last round trip filled in.</summary>
    public static Later<T> After(Func<T> read) => new(read);

    public T Value
    {
        get
        {
            if (!_known)
            {
                _value = _read();
                _known = true;
            }
            return _value!;
        }
    }
}
