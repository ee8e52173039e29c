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
    private byte[] _signed = [];

    private SpooledForm(IReadOnlyList<KeyValuePair<string, string>> fields) => _fields = fields;

    /// <summary>Per file, in part order: <c>{sha256 hex}.{canonical attachment JSON}</c>, joined with <c>\n</c> (wire-format section 2).</summary>
    public override byte[] SignedContent => _signed;

    /// <summary>
    /// Downloads every file of <paramref name="files"/>, together at most <c>Files:MaxSpoolBytes</c>; throws
    /// <see cref="FileFetchException"/> when one cannot be read or would go past it.
    /// </summary>
    public static async Task<SpooledForm> CreateAsync(
        FileStore store, OrganizationId organization, IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyList<FormFile> files, CancellationToken cancellationToken)
    {
        var form = new SpooledForm(fields);
        try
        {
            var directory = string.IsNullOrWhiteSpace(store.Options.SpoolDirectory) ? Path.GetTempPath() : store.Options.SpoolDirectory;
            Directory.CreateDirectory(directory);
            var lines = new List<string>();
            var limit = store.Options.MaxSpoolBytes;
            long used = 0;
            foreach (var part in files)
            {
                var path = Path.Combine(directory, $"herald-spool-{Guid.NewGuid():N}");
                var holder = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                form._files.Add((part, path, holder));
                using var sha = SHA256.Create();
                await using (var hashing = new CryptoStream(holder, sha, CryptoStreamMode.Write, leaveOpen: true))
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
    }
}
