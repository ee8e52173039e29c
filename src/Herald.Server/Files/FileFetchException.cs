namespace Herald.Server.Files;

/// <summary>Why a file could not be read from storage.</summary>
public enum FileFailure
{
    /// <summary>No file source is configured (<c>Files:Source</c>).</summary>
    NotConfigured,

    /// <summary>The store has no such object.</summary>
    NotFound,

    /// <summary>The file is larger than <c>Files:MaxBytes</c> (or the inline limit).</summary>
    TooLarge,

    /// <summary>The source or the store refused the reference: a link, a file that is not a regular file, an access denied.</summary>
    Refused,

    /// <summary>The reference is not one the event's organization may read (<see cref="FileScope"/>); nothing was asked of the store.</summary>
    NotAllowed,

    /// <summary>The event names more files than <c>Files:MaxAttachmentsPerEvent</c>; nothing was read.</summary>
    TooMany,

    /// <summary>The store timed out or failed; worth another try.</summary>
    Unavailable,
}

/// <summary>A file could not be read; <see cref="Failure"/> says whether another try could help.</summary>
public sealed class FileFetchException(FileFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public FileFailure Failure { get; } = failure;
}
