using System.Security.Cryptography;
using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Secrets;

/// <summary>Finds the master key: configuration first, else a key file in the data folder, generated on first start.</summary>
public static partial class MasterKey
{
    public const string FileName = "master.key";

    public static byte[] Resolve(SecretsOptions secrets, StorageOptions storage, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(secrets.MasterKey))
        {
            return Decode(secrets.MasterKey, "Secrets:MasterKey");
        }

        var path = Path.GetFullPath(Path.Combine(storage.DataDirectory, FileName));
        if (File.Exists(path))
        {
            LogUsingFile(logger, path);
            return Decode(File.ReadAllText(path).Trim(), path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process sharing the data folder generated it first: use theirs.
            return Decode(File.ReadAllText(path).Trim(), path);
        }
        LogGenerated(logger, path);
        return key;
    }

    /// <summary>
    /// The earlier master keys of <see cref="SecretsOptions.PreviousMasterKeys"/>, each checked: 32 bytes of base64, and
    /// not the current key.
    /// </summary>
    public static IReadOnlyList<byte[]> Previous(SecretsOptions secrets, byte[] current)
    {
        var keys = new List<byte[]>();
        for (var i = 0; i < secrets.PreviousMasterKeys.Length; i++)
        {
            var source = $"{SecretsOptions.PreviousKeysSetting}:{i}";
            var key = Decode(secrets.PreviousMasterKeys[i], source);
            if (key.AsSpan().SequenceEqual(current))
            {
                throw new InvalidSettingException($"{source} is the current master key: list only the keys it replaced");
            }
            keys.Add(key);
        }
        return keys;
    }

    private static byte[] Decode(string value, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidSettingException($"{source} is not valid base64");
        }
        return key.Length == 32 ? key : throw new InvalidSettingException($"{source} must decode to 32 bytes, not {key.Length}");
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "No Secrets:MasterKey is configured: generated a master key at {Path}. Secrets at rest are only as safe as that file; set Secrets:MasterKey from a secret store in production.")]
    private static partial void LogGenerated(ILogger logger, string path);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "No Secrets:MasterKey is configured: using the generated master key at {Path}. Set Secrets:MasterKey from a secret store in production.")]
    private static partial void LogUsingFile(ILogger logger, string path);
}
