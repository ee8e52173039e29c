namespace Herald.Server.Files;

/// <summary>
/// <c>Files:Source = Directory</c>: the file of <c>s3ref {bucket, key}</c> is <c>{Files:Directory}/{bucket}/{key}</c>.
/// A bucket or key that would leave the folder (<c>..</c>, an absolute path) and any link on the way are refused.
/// </summary>
public sealed class DirectoryFileSource(string root) : IFileSource
{
    private readonly string _root = Path.GetFullPath(root);

    /// <summary>
    /// Opens on the thread pool: an open can wait indefinitely (a named pipe without a writer, a stalled network
    /// mount), and the caller's timeout must still end the attempt. Unbuffered, so that closing the stream never
    /// waits for a read still blocked in the OS.
    /// </summary>
    public Task<OpenedFile> OpenAsync(FileReference file, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var path = PathOf(file);
        if (!File.Exists(path))
        {
            throw new FileFetchException(FileFailure.NotFound, $"No file {file.Location} under Files:Directory");
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new FileFetchException(FileFailure.Refused, $"The file reference {file.Location} is not a regular file (a pipe or a device); Files:Directory serves regular files only");
        }
        return new OpenedFile(stream, stream.Length);
    }, cancellationToken);

    /// <summary>The file's path inside the folder, or a refusal naming the reference.</summary>
    internal string PathOf(FileReference file)
    {
        var segments = new List<string>();
        foreach (var part in (string[])[file.Bucket, file.Key])
        {
            if (Path.IsPathRooted(part) || part.Contains('\\') || part.Contains('\0'))
            {
                throw Refused(file, "is an absolute path or holds a backslash");
            }
            foreach (var segment in part.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (segment is "." or "..")
                {
                    throw Refused(file, "holds a '.' or '..' segment");
                }
                segments.Add(segment);
            }
        }
        var current = _root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                if ((info.Exists ? info.LinkTarget : new DirectoryInfo(current).LinkTarget) is not null)
                {
                    throw Refused(file, "passes a symbolic link");
                }
            }
        }
        var full = Path.GetFullPath(current);
        if (!full.StartsWith(_root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Refused(file, "leaves the folder");
        }
        return full;
    }

    private static FileFetchException Refused(FileReference file, string why) =>
        new(FileFailure.Refused, $"The file reference {file.Location} {why}; Files:Directory serves only files inside its folder");
}
