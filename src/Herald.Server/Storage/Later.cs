namespace Herald.Server.Storage;

/// <summary>
/// What a write answers once its session has sent it. On PostgreSQL a statement whose answer nobody needs before the
/// commit goes with the commit, in the transaction's last round trip, and its rows arrive then; on SQLite it is known
/// at once. Read <see cref="Value"/> only after <see cref="IWriteSessions.WriteAsync{T}"/> returned: a value whose
/// statement has not been answered yet throws instead of answering what little has arrived.
/// </summary>
public sealed class Later<T>
{
    private readonly Func<T> _read;
    private readonly Func<bool>? _answered;
    private T? _value;
    private bool _known;

    private Later(Func<T> read, Func<bool>? answered) => (_read, _answered) = (read, answered);

    /// <summary>A value known already.</summary>
    public static Later<T> Now(T value) => new(() => value, null);

    /// <summary>
    /// A value <paramref name="read"/> makes from what the session's last round trip filled in, once
    /// <paramref name="answered"/> says the statement it comes from was answered.
    /// </summary>
    public static Later<T> After(Func<bool> answered, Func<T> read) => new(read, answered);

    /// <summary>A value made from other later values, which guard their own reads.</summary>
    public static Later<T> From(Func<T> read) => new(read, null);

    public T Value
    {
        get
        {
            if (!_known)
            {
                if (_answered?.Invoke() == false)
                {
                    throw new InvalidOperationException(
                        "A write's answer was read before its statement was sent: read a Later's Value after IWriteSessions.WriteAsync returned.");
                }
                _value = _read();
                _known = true;
            }
            return _value!;
        }
    }
}
