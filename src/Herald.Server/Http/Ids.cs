namespace Herald.Server.Http;

/// <summary>
/// The organization an API call acts for (the token's claim). A distinct type from the other ids, so an organization
/// id passed where a config or event id belongs does not compile. Made only explicitly, from the claim or a stored row.
/// </summary>
public readonly record struct OrganizationId
{
    public OrganizationId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public static OrganizationId From(string value) => new(value);

    public override string ToString() => Value;
}

/// <summary>A webhook config's id (22 base62 characters for the configs Herald creates). See <see cref="OrganizationId"/>.</summary>
public readonly record struct ConfigId
{
    public ConfigId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public static ConfigId From(string value) => new(value);

    public override string ToString() => Value;
}

/// <summary>An event's id, as the caller or Herald chose it. See <see cref="OrganizationId"/>.</summary>
public readonly record struct EventId
{
    public EventId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public static EventId From(string value) => new(value);

    public override string ToString() => Value;
}
