using Herald.Server.Http;

namespace Herald.Server.Files;

public static class FilesSetup
{
    /// <summary>The <c>Files</c> options and the one file store over the configured source (or none).</summary>
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(FilesOptions.Section).Get<FilesOptions>() ?? new FilesOptions());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<FilesOptions>();
            foreach (var (name, bytes) in new[] { ("MaxBytes", options.MaxBytes), ("MaxInlineBytes", options.MaxInlineBytes), ("MaxSpoolBytes", options.MaxSpoolBytes) })
            {
                if (bytes <= 0)
                {
                    throw new InvalidSettingException($"Files:{name} must be positive (got {bytes})");
                }
            }
            if (options.MaxSpoolBytesPerOrganization is null && options.MaxSpoolBytesPerNode / 2 < options.MaxSpoolBytes)
            {
                throw new InvalidSettingException(
                    $"Files:MaxSpoolBytesPerNode ({options.MaxSpoolBytesPerNode}) must be at least twice Files:MaxSpoolBytes ({options.MaxSpoolBytes}): one organization may use half of it "
                    + "(unless Files:MaxSpoolBytesPerOrganization says otherwise), and its attempt must fit");
            }
            if (options.MaxSpoolBytesPerOrganization is { } perOrganization && (perOrganization < options.MaxSpoolBytes || perOrganization > options.MaxSpoolBytesPerNode))
            {
                throw new InvalidSettingException(
                    $"Files:MaxSpoolBytesPerOrganization ({perOrganization}) must be at least Files:MaxSpoolBytes ({options.MaxSpoolBytes}), so that one attempt fits, "
                    + $"and at most Files:MaxSpoolBytesPerNode ({options.MaxSpoolBytesPerNode})");
            }
            if (options.DownloadTimeout <= TimeSpan.Zero)
            {
                throw new InvalidSettingException($"Files:DownloadTimeout must be positive (got {options.DownloadTimeout:c})");
            }
            if (options.MaxAttachmentsPerEvent < 1)
            {
                throw new InvalidSettingException($"Files:MaxAttachmentsPerEvent must be at least 1, not {options.MaxAttachmentsPerEvent}");
            }
            return new FileStore(options, FileScope.From(options), CreateSource(options), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>The source <c>Files:Source</c> names (unset: <c>Directory</c> when <c>Files:Directory</c> is set, else none); throws for a value Herald does not know, so the start fails naming it.</summary>
    public static IFileSource? CreateSource(FilesOptions options) => options.Source?.Trim().ToUpperInvariant() switch
    {
        null or "" when !string.IsNullOrWhiteSpace(options.Directory) => new DirectoryFileSource(options.Directory),
        null or "" => null,
        "S3" => new S3FileSource(options.S3),
        "DIRECTORY" when !string.IsNullOrWhiteSpace(options.Directory) => new DirectoryFileSource(options.Directory),
        "DIRECTORY" => throw new InvalidSettingException("Files:Source is Directory but Files:Directory is not set"),
        var other => throw new InvalidSettingException($"Files:Source '{other}' is not known; use S3 or Directory"),
    };
}
