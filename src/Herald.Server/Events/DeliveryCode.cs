namespace Herald.Server.Events;

/// <summary>The machine-readable <c>code</c> of an attempt's outcome; <see cref="DeliveryCodes"/> maps each to its wire text.</summary>
public enum DeliveryCode
{
    InternalError,
    ResponseTooLarge,
    DestinationBlocked,
    Timeout,
    ConnectionError,
    OAuthTokenExchangeError,
    EnvVariableNotFound,
    StaticIpUnavailable,

    /// <summary>An Event Catalog event cannot be brought to the version its config is pinned to.</summary>
    EventVersionUnreachable,

    /// <summary>A <c>_downgrades</c> step of an Event Catalog event threw or produced no object.</summary>
    EventDowngradeFailed,

    /// <summary>A file delivery mode without <c>Files:Source</c>.</summary>
    FileSourceNotConfigured,

    /// <summary>An attachment's object is not in the store.</summary>
    FileNotFound,

    /// <summary>
    /// An attachment is larger than <c>Files:MaxBytes</c>, or an event's files together than <c>json_base64</c>'s
    /// <c>Files:MaxInlineBytes</c> or <c>binary_multipart</c>'s <c>Files:MaxSpoolBytes</c>.
    /// </summary>
    FileTooLarge,

    /// <summary>The file source refused an attachment: a link or no regular file in the folder, or an access the store denied.</summary>
    FileRefused,

    /// <summary>An attachment's reference is not one the event's organization may read (<c>Files:KeyPrefix</c>, <c>Files:Buckets</c>, a key that is not plain).</summary>
    FileNotAllowed,

    /// <summary>An event names more attachments than <c>Files:MaxAttachmentsPerEvent</c>.</summary>
    TooManyFiles,

    /// <summary>The store timed out or failed while a file was read; retried.</summary>
    FileUnavailable,
}
