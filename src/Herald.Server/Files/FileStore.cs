using Herald.Server.Http;

namespace Herald.Server.Files;

/// <summary>
/// The configured file source under Herald's rules: only references the event's organization may read
/// (<see cref="FileScope"/>), at most <c>Files:MaxAttachmentsPerEvent</c> of them, each download bounded by
/// <c>Files:MaxBytes</c> (checked against the length the store announces and again while reading) and by
/// <c>Files:DownloadTimeout</c> on Herald's clock, from opening to the last byte.
/// </summary>
public sealed class FileStore(FilesOptions options, FileScope scope, IFileSource? source, TimeProvider time)
{
    public FilesOptions Options { get; } = options;

    /// <summary>The disk this node's <c>binary_multipart</c> spools may hold (<c>Files:MaxSpoolBytesPerNode</c>, <c>Files:MaxSpoolBytesPerOrganization</c>).</summary>
    public ByteBudget<OrganizationId> Spool { get; } = new(options.MaxSpoolBytesPerNode, options.SpoolBytesPerOrganization);

    /// <summary>
    /// Throws <see cref="FileFetchException"/> unless one delivery of <paramref name="organization"/> may read all of
    /// <paramref name="files"/>: at most <c>Files:MaxAttachmentsPerEvent</c>, each admitted. <paramref name="picked"/>
    /// says where they came from ("The event has", "multipartConfig.fileSource picked").
    /// </summary>
    public void Admit(OrganizationId organization, IReadOnlyList<FileReference> files, string picked)
    {
        EnsureSource();
        if (files.Count > Options.MaxAttachmentsPerEvent)
        {
            throw new FileFetchException(FileFailure.TooMany, $"{picked} {files.Count} attachments, more than Files:MaxAttachmentsPerEvent ({Options.MaxAttachmentsPerEvent}); nothing was read or sent");
        }
        foreach (var file in files)
        {
            Admit(organization, file);
        }
    }

    /// <summary>Throws <see cref="FileFetchException"/> unless <paramref name="organization"/>'s events may read <paramref name="file"/>.</summary>
    public void Admit(OrganizationId organization, FileReference file)
    {
        EnsureSource();
        if (scope.Refusal(organization.Value, file.Bucket, file.Key) is { } refusal)
        {
            throw new FileFetchException(FileFailure.NotAllowed, refusal);
        }
    }

    /// <summary>
    /// Names what is left of a budget for one event's files together (<paramref name="setting"/>, <paramref name="holds"/>
    /// them), for a <c>FILE_TOO_LARGE</c> message: the setting alone for the first file, then what the earlier ones left.
    /// </summary>
    public static string BudgetLeft(string setting, long limit, long used, string holds) => used == 0
        ? $"{setting} ({limit} bytes), {holds} of one event's files"
        : $"the {limit - used} bytes the event's earlier files ({used} bytes) leave of {setting} ({limit} bytes), {holds} of one event's files together";

    /// <summary>
    /// Copies the file to <paramref name="destination"/> and returns its length; at most <paramref name="limit"/>
    /// bytes (default and at most <c>Files:MaxBytes</c>), which <paramref name="limitName"/> describes. Throws
    /// <see cref="FileFetchException"/>; <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<long> CopyAsync(
        OrganizationId organization, FileReference file, Stream destination, CancellationToken cancellationToken, long? limit = null, string? limitName = null)
    {
        Admit(organization, file);
        var max = Math.Min(limit ?? Options.MaxBytes, Options.MaxBytes);
        var setting = limit is { } l && l < Options.MaxBytes && limitName is not null ? limitName : $"Files:MaxBytes ({Options.MaxBytes} bytes)";
        using var timeout = new CancellationTokenSource(Options.DownloadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // WaitAsync: a source that does not heed the token (a read blocked in the OS) still gives the slot back.
            var opening = source!.OpenAsync(file, linked.Token);
            OpenedFile opened;
            try
            {
                opened = await opening.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                _ = CloseWhenOpenedAsync(opening);
                throw;
            }
            await using (opened)
            {
                if (opened.Length is { } announced && announced > max)
                {
                    throw TooLarge(file, announced, setting);
                }
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await opened.Content.ReadAsync(buffer, linked.Token).AsTask().WaitAsync(linked.Token)) > 0)
                {
                    total += read;
                    if (total > max)
                    {
                        throw TooLarge(file, null, setting);
                    }
                    await destination.WriteAsync(buffer.AsMemory(0, read), linked.Token);
                }
                return total;
            }
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && e is OperationCanceledException or IOException or FileFetchException { Failure: FileFailure.Unavailable })
        {
            throw new FileFetchException(FileFailure.Unavailable, $"Reading {file.Location} took longer than Files:DownloadTimeout ({Options.DownloadTimeout.TotalSeconds:0.###} s)", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new FileFetchException(FileFailure.Unavailable, $"Reading {file.Location} failed: {e.Message}", e);
        }
    }

    private void EnsureSource()
    {
        if (source is null)
        {
            throw new FileFetchException(FileFailure.NotConfigured, "No file source is configured: set Files:Source to S3 or Directory");
        }
    }

    /// <summary>An open given up on may still succeed later: what it opens is closed then.</summary>
    private static async Task CloseWhenOpenedAsync(Task<OpenedFile> opening)
    {
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception)
        {
            // It failed or was cancelled: nothing was opened.
        }
    }

    private static FileFetchException TooLarge(FileReference file, long? length, string setting) =>
        new(FileFailure.TooLarge, $"The file {file.Location}{(length is { } n ? $" has {n} bytes, more than" : " is larger than")} {setting}");
}
