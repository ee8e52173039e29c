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
                var sealedValue = Convert.FromBase64String(element.Value);
                if (!box.NeedsResealing(sealedValue))
                {
                    continue;
                }
                try
                {
                    element.Value = Convert.ToBase64String(box.Reseal(sealedValue, SealedKeyXmlEncryptor.Owner));
                    changed = true;
                    outcome.Resealed++;
                }
                catch (CryptographicException)
                {
                    outcome.Fail($"the console key file {path}");
                }
            }
            if (changed)
            {
                var written = path + ".resealed";
                await File.WriteAllTextAsync(written, document.ToString(SaveOptions.DisableFormatting), cancellationToken);
                File.Move(written, path, overwrite: true);
            }
        }
    }
}
