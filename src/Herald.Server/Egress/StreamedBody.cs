namespace Herald.Server.Egress;

/// <summary>
/// A request body that is not held in memory (a multipart form of files spooled to disk). It can be sent more than
/// once (an OAuth renewal resends it) and signs a stand-in, <see cref="SignedContent"/>, in place of its bytes.
/// Disposing it frees what it holds (its spool files).
/// </summary>
public abstract class StreamedBody : IDisposable
{
    /// <summary>The bytes the signature covers after <c>{webhook-id}.{webhook-timestamp}.</c>.</summary>
    public abstract byte[] SignedContent { get; }

    /// <summary>A fresh content for one send, reading from the start.</summary>
    public abstract HttpContent CreateContent();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
