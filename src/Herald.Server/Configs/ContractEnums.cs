namespace Herald.Server.Configs;

/// <summary>The contract's enums, as the validator checks them.</summary>
public static class ContractEnums
{
    public static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
    public static readonly string[] AuthTypes = ["BASIC", "OAUTH_CLIENT_CREDENTIALS", "API_KEY", "NONE"];
    public static readonly string[] ConfigStatuses = ["active", "inactive", "incomplete"];
    public static readonly string[] DeliveryModes = ["json_base64", "binary_multipart"];
    public static readonly string[] FileFieldStrategies = ["single", "multi"];
    public static readonly string[] OAuthParameterTypes = ["body", "query", "header"];
    public static readonly string[] LogicalOperators = ["AND", "OR"];
    public static readonly string[] FieldTypes = ["string", "number", "boolean", "date", "datetime"];

    public static readonly string[] Operations =
    [
        "equals", "not_equals", "any_of", "none_of", "contains", "not_contains", "starts_with", "ends_with",
        "greater_than", "less_than", "greater_than_or_equals", "less_than_or_equals", "is_empty", "is_not_empty",
        "length_equals", "length_not_equals", "length_greater_than", "length_less_than",
        "length_greater_than_or_equals", "length_less_than_or_equals",
    ];
}
