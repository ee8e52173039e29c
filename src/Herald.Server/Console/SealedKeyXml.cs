using System.Text;
using System.Xml.Linq;
using Herald.Server.Secrets;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Herald.Server.Console;

/// <summary>
/// Seals the console's session and form keys with the master key before they are written to the keys folder, so the
/// folder alone opens no session (the data protection default on Linux would store them in clear).
/// </summary>
public sealed class SealedKeyXmlEncryptor(SecretBox box) : IXmlEncryptor
{
    /// <summary>The associated data of every sealed key: a sealed key cannot be confused with another secret.</summary>
    internal const string Owner = "console:data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var sealedBytes = box.Seal(Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)), Owner);
        var element = new XElement("sealedKey", new XAttribute("format", "herald-secretbox"), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(SealedKeyXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="SealedKeyXmlEncryptor"/> sealed; created by data protection with the app's services.</summary>
public sealed class SealedKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var box = services.GetRequiredService<SecretBox>();
        var plaintext = box.Open(Convert.FromBase64String(encryptedElement.Value), SealedKeyXmlEncryptor.Owner);
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
