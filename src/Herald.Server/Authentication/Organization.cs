using Herald.Server.Http;
using System.Security.Claims;

namespace Herald.Server.Authentication;

/// <summary>The caller's organization, as established by authentication.</summary>
public static class Organization
{
    public const string ClaimType = "herald:org";

    public static OrganizationId OrgId(this ClaimsPrincipal user) =>
        OrganizationId.From(user.FindFirstValue(ClaimType) ?? throw new InvalidOperationException("The endpoint requires an authenticated organization"));
}
