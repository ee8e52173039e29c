namespace Herald.Server.Console;

/// <summary>
/// Places the API's validation message beside a field: the API's messages start with the field's path
/// (<c>auth.basicAuthConfig.password must not be empty</c>); a field shows the message whose path it is or contains.
/// A message no shown field claims appears at the top of the form.
/// </summary>
public sealed class FieldErrors(string? message, IReadOnlyCollection<string> fields)
{
    public static readonly FieldErrors None = new(null, []);

    public string? Message { get; } = message;

    /// <summary>The field the message names: the longest listed path it starts with, on a path boundary.</summary>
    public string? Field { get; } = message is null ? null : fields
        .Where(f => message.StartsWith(f, StringComparison.Ordinal) && (message.Length == f.Length || message[f.Length] is ' ' or '.' or '[' or ':' or ','))
        .OrderByDescending(f => f.Length).FirstOrDefault();

    public string? For(string field) => Field == field ? Message : null;

    /// <summary>The message when no field shows it.</summary>
    public string? Unplaced => Field is null ? Message : null;
}
