namespace Herald.Server.Files;

/// <summary>An opened file: its length when the store says it, and the bytes to read once.</summary>
public sealed record OpenedFile(Stream Content, long? Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>Where file deliveries read attachments from. Throws <see cref="FileFetchException"/> for what it can name.</summary>
public interface IFileSource
{
    Task<OpenedFile> OpenAsync(FileReference file, CancellationToken cancellationToken);
}
