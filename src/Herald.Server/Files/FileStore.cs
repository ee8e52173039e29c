namespace Herald.Server.Files;

/// <summary>
/// The configured file source under Herald's limits: each download is bounded by <c>Files:MaxBytes</c> (checked
/// against the length the store announces and again while reading) and <c>Files:DownloadTimeout</c>.
/// </summary>
public sealed class FileStore(FilesOptions options, IFileSource? source)
{
    public FilesOptions Options { get; } = options;

    /// <summary>
    /// Copies the file to <paramref name="destination"/> and returns its length; at most <paramref name="limit"/>
    /// bytes (default <c>Files:MaxBytes</c>). Throws <see cref="FileFetchException"/>; <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<long> CopyAsync(FileReference file, Stream destination, CancellationToken cancellationToken, long? limit = null, string? limitName = null)
    {
        if (source is null)
        {
            throw new FileFetchException(FileFailure.NotConfigured, "No file source is configured: set Files:Source to S3 or Directory");
        }
        var max = Math.Min(limit ?? Options.MaxBytes, Options.MaxBytes);
        var setting = limit is { } l && l < Options.MaxBytes ? limitName ?? "Files:MaxBytes" : "Files:MaxBytes";
        using var timeout = new CancellationTokenSource(Options.DownloadTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var opened = await source.OpenAsync(file, linked.Token);
            if (opened.Length is { } announced && announced > max)
            {
                throw TooLarge(file, announced, max, setting);
            }
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await opened.Content.ReadAsync(buffer, linked.Token)) > 0)
            {
                total += read;
                if (total > max)
                {
                    throw TooLarge(file, null, max, setting);
                }
                await destination.WriteAsync(buffer.AsMemory(0, read), linked.Token);
            }
            return total;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FileFetchException(FileFailure.Unavailable, $"Reading {file.Location} took longer than Files:DownloadTimeout ({Options.DownloadTimeout.TotalSeconds:0.#} s)");
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new FileFetchException(FileFailure.Unavailable, $"Reading {file.Location} failed: {e.Message}", e);
        }
    }

    private static FileFetchException TooLarge(FileReference file, long? length, long max, string setting) =>
        new(FileFailure.TooLarge, $"The file {file.Location}{(length is { } n ? $" has {n} bytes, more than" : " is larger than")} {setting} ({max} bytes)");
}
