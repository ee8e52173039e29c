using System.Security.Cryptography;
using System.Xml.Linq;
using Herald.Server.Secrets;

namespace Herald.Server.Console;

/// <summary>
/// The console's key files, for <see cref="Resealing"/>: each key an earlier master key sealed is sealed again with the
/// current one, and its file replaced whole (written beside it, then moved over it), so a reader never sees half a file.
/// </summary>
public sealed class SealedKeyFiles(string folder) : ISealedFiles
{
    public async Task ResealAsync(SecretBox box, Resealing.Outcome outcome, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(folder, "*.xml"))
        {
            var document = XDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
            var changed = false;
            foreach (var element in document.Descendants("sealedKey").ToList())
            {
                try
                {
                    var sealedValue = Convert.FromBase64String(element.Value);
                    if (!box.NeedsResealing(sealedValue))
                    {
                        continue;
                    }
                    element.Value = Convert.ToBase64String(box.Reseal(sealedValue, SealedKeyXmlEncryptor.Owner));
                    changed = true;
                    outcome.Resealed++;
                }
                catch (Exception e) when (e is CryptographicException or FormatException)
                {
                    outcome.Fail($"the console key file {path}");
                }
            }
            if (changed)
            {
                // Written with the file's own permissions, then moved over it.
                var written = path + ".resealed";
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = File.GetUnixFileMode(path);
                }
                await using (var writer = new StreamWriter(written, options))
                {
                    await writer.WriteAsync(document.ToString(SaveOptions.DisableFormatting).AsMemory(), cancellationToken);
                }
                File.Move(written, path, overwrite: true);
            }
        }
    }
}
