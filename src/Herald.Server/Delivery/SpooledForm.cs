using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Herald.Server.Egress;
using Herald.Server.Files;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// A <c>binary_multipart</c> body whose files are spooled to disk: each file is copied once from storage into a
/// temporary file (deleted when the body is disposed, or by the OS when the process ends) while its SHA-256 is
/// computed, because the signature header needs every hash before the first byte is sent. The form is then streamed
/// from those files, so memory holds a copy buffer, not the file.
/// </summary>
public sealed class SpooledForm : StreamedBody
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _fields;
    private readonly List<(FormFile Part, string Path, FileStream Holder)> _files = [];
    private readonly ByteBudget<OrganizationId> _budget;
    private readonly OrganizationId _organization;
    private byte[] _signed = [];

    /// <summary>Bytes taken from the node's <see cref="FileStore.Spool"/>, given back when the files are deleted.</summary>
    private long _taken;

    private SpooledForm(IReadOnlyList<KeyValuePair<string, string>> fields, ByteBudget<OrganizationId> budget, OrganizationId organization)
    {
        _fields = fields;
        _budget = budget;
        _organization = organization;
    }

    /// <summary>Per file, in part order: <c>{sha256 hex}.{canonical attachment JSON}</c>, joined with <c>\n</c> (wire-format section 2).</summary>
    public override byte[] SignedContent => _signed;

    /// <summary>
    /// Downloads every file of <paramref name="files"/>, together at most <c>Files:MaxSpoolBytes</c>; throws
    /// <see cref="FileFetchException"/> when one cannot be read or would go past it. The bytes come out of the node's
    /// <see cref="FileStore.Spool"/>: the sizes the event announces before any download, more as a file turns out
    /// larger; throws <see cref="SpoolFullException"/> when the node or the organization has no room left.
    /// </summary>
    public static async Task<SpooledForm> CreateAsync(
        FileStore store, OrganizationId organization, IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyList<FormFile> files, CancellationToken cancellationToken)
    {
        var limit = store.Options.MaxSpoolBytes;
        var form = new SpooledForm(fields, store.Spool, organization);
        try
        {
            // Each step stays within twice the limit, which the settings keep below long's range (Files:MaxSpoolBytesPerNode).
            form.Take(files.Aggregate(0L, (announced, f) => Math.Min(limit, announced + Math.Min(f.File.SizeBytes ?? 0, limit))));
            var directory = string.IsNullOrWhiteSpace(store.Options.SpoolDirectory) ? Path.GetTempPath() : store.Options.SpoolDirectory;
            Directory.CreateDirectory(directory);
            var lines = new List<string>();
            long used = 0;
            foreach (var part in files)
            {
                var path = Path.Combine(directory, $"herald-spool-{Guid.NewGuid():N}");
                var holder = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                form._files.Add((part, path, holder));
                using var sha = SHA256.Create();
                await using (var hashing = new CryptoStream(new TakingStream(holder, form, used), sha, CryptoStreamMode.Write, leaveOpen: true))
                {
                    used += await store.CopyAsync(organization, part.File, hashing, cancellationToken, limit - used,
                        FileStore.BudgetLeft("Files:MaxSpoolBytes", limit, used, "what binary_multipart spools"));
                    await hashing.FlushFinalBlockAsync(cancellationToken);
                }
                await holder.FlushAsync(cancellationToken);
                lines.Add(Convert.ToHexStringLower(sha.Hash!) + "." + part.File.CanonicalJson());
            }
            form._signed = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            return form;
        }
        catch
        {
            form.Dispose();
            throw;
        }
    }

    public override HttpContent CreateContent()
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in _fields)
        {
            var part = new StringContent(value, Encoding.UTF8);
            part.Headers.ContentType = null;
            content.Add(part, name);
        }
        foreach (var (file, path, _) in _files)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            var part = new StreamContent(stream, 81920);
            part.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.File.MimeType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, file.Field, file.File.Filename ?? Path.GetFileName(file.File.Key));
        }
        return content;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var (_, _, holder) in _files)
        {
            holder.Dispose();
        }
        _files.Clear();
        _budget.Give(_organization, _taken);
        _taken = 0;
    }

    /// <summary>Takes <paramref name="bytes"/> more of the node's spool for this form, or throws <see cref="SpoolFullException"/>.</summary>
    private void Take(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }
        if (!_budget.TryTake(_organization, bytes))
        {
            throw new SpoolFullException(
                $"The node's binary_multipart spools have no room for {bytes} more bytes: Files:MaxSpoolBytesPerNode ({_budget.PerNode} bytes) holds {_budget.Held}, "
                + $"and one organization may hold at most {_budget.PerOrganization} bytes (Files:MaxSpoolBytesPerOrganization)");
        }
        _taken += bytes;
    }

    /// <summary>
    /// Writes through to the spool file, taking from the node's spool whatever goes past what the form took already
    /// (<paramref name="before"/>: the bytes of the form's earlier files).
    /// </summary>
    private sealed class TakingStream(Stream inner, SpooledForm form, long before) : Stream
    {
        private long _written = before;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Grow(count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Grow(buffer.Length);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Grow(int count)
        {
            _written += count;
            form.Take(_written - form._taken);
        }
    }
}

/// <summary>The node's <c>binary_multipart</c> spools have no room for an attempt's files now (<c>Files:MaxSpoolBytesPerNode</c>).</summary>
public sealed class SpoolFullException(string message) : Exception(message);
