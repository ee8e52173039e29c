using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Herald.Server.Files;

/// <summary>
/// <c>Files:Source = S3</c>: any S3-compatible store at <c>Files:S3:ServiceUrl</c> (AWS itself without one), bucket
/// and key from each attachment's <c>s3ref</c>. Downloads go to the store the operator configured, not through the
/// receivers' destination guard.
/// </summary>
public sealed class S3FileSource : IFileSource, IDisposable
{
    private readonly AmazonS3Client _client;

    public S3FileSource(S3FileOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            if (!string.IsNullOrWhiteSpace(options.Region))
            {
                config.AuthenticationRegion = options.Region;
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.Region))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        _client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(new AnonymousAWSCredentials(), config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey ?? ""), config);
    }

    public async Task<OpenedFile> OpenAsync(FileReference file, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = file.Bucket, Key = file.Key }, cancellationToken);
            return new OpenedFile(new OwnedStream(response.ResponseStream, response), response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileFetchException(FileFailure.NotFound, $"The store has no object {file.Location} ({e.ErrorCode ?? "404"})", e);
        }
        catch (AmazonS3Exception e) when ((int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.TooManyRequests || e.StatusCode == 0)
        {
            throw new FileFetchException(FileFailure.Unavailable, $"The store answered {(int)e.StatusCode} for {file.Location}: {e.Message}", e);
        }
        catch (AmazonS3Exception e)
        {
            throw new FileFetchException(FileFailure.Refused, $"The store refused {file.Location} with {(int)e.StatusCode} {e.ErrorCode}: {e.Message}; check Files:S3", e);
        }
        catch (Exception e) when (e is HttpRequestException or AmazonClientException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new FileFetchException(FileFailure.Unavailable, $"Reading {file.Location} from the store failed: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The response stream, disposing the response with it.</summary>
    private sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
