using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

/// <summary>Hand-made HS256 JWTs, so the tests do not share token code with the server.</summary>
public static class Jwt
{
    public static string Hs256(byte[] key, JsonObject claims)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
