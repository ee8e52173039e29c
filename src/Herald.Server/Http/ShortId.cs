using System.Security.Cryptography;

namespace Herald.Server.Http;

/// <summary>Short random ids: 22 base62 characters (about 131 bits), as wire-format section 9 fixes for config ids.</summary>
public static class ShortId
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public const int Length = 22;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);
}
