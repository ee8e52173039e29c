using Herald.Server.Http;
namespace Herald.Server.Hosting;

/// <summary>
/// What this process runs, from the <c>Roles</c> setting: <c>api</c>, <c>worker</c>, or both (the default,
/// also spelled <c>all</c>). API-only nodes still deliver sync triggers themselves; worker-only nodes serve health only.
/// </summary>
public sealed record Roles(bool Api, bool Worker)
{
    public static Roles From(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return new Roles(true, true);
        }
        var parts = setting.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToHashSet();
        if (parts.Contains("all"))
        {
            return new Roles(true, true);
        }
        var unknown = parts.Except(["api", "worker"]).ToList();
        if (unknown.Count > 0 || parts.Count == 0)
        {
            throw new InvalidSettingException($"Roles must be api, worker or both (got '{setting}')");
        }
        return new Roles(parts.Contains("api"), parts.Contains("worker"));
    }
}
