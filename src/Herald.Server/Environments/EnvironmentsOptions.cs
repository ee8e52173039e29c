using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// The <c>Environments</c> section: how many variables an organization keeps. <c>listEnvironmentVariables</c> answers
/// them all at once (each up to 32,768 characters), so the count bounds that answer and the memory it takes.
/// </summary>
public sealed class EnvironmentsOptions
{
    public const string Section = "Environments";

    /// <summary>Variables one organization may keep; creating one more is a 400.</summary>
    public int MaxPerOrganization { get; set; } = 1000;

    public EnvironmentsOptions Validated() =>
        MaxPerOrganization < 1 ? throw new InvalidSettingException($"{Section}:{nameof(MaxPerOrganization)} must be at least 1 (got {MaxPerOrganization})") : this;

    public string TooMany() =>
        $"An organization keeps at most {MaxPerOrganization} environment variables (setting {Section}:{nameof(MaxPerOrganization)}); delete one before creating another";
}
