namespace Herald.Server.Tests.Support;

/// <summary>
/// An exclusive lock on a file, held across processes (and across callers in one process) until disposed:
/// the file is opened without sharing, which the runtime backs with an OS file lock.
/// </summary>
public sealed class FileLock : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>The lock, or null when it could not be had within <paramref name="timeout"/>.</summary>
    public static async Task<FileLock?> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < giveUpAt)
            {
                await Task.Delay(Poll, cancellationToken);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
