namespace Herald.Server.Http;

/// <summary>
/// A setting Herald cannot start with. Its message names the setting and what it accepts; the start ends with that
/// one line and exit code <see cref="ExitCode"/>, not a stack trace.
/// </summary>
public sealed class InvalidSettingException(string message) : InvalidOperationException(message)
{
    public const int ExitCode = 1;

    /// <summary>The line a refused start prints.</summary>
    public string Line => $"Herald cannot start: {Message}";

    /// <summary>The invalid setting behind <paramref name="error"/> (it may be wrapped by the host or the container), or null.</summary>
    public static InvalidSettingException? In(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is InvalidSettingException setting)
            {
                return setting;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } many)
            {
                return many.InnerExceptions.Select(In).FirstOrDefault(found => found is not null);
            }
        }
        return null;
    }
}
