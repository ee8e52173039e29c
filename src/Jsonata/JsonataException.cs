namespace Jsonata;

/// <summary>
/// An error raised while compiling or evaluating an expression. <see cref="Code"/> is the code the
/// reference implementation (jsonata-js) uses for the same failure, e.g. <c>S0201</c> or <c>T2001</c>.
/// </summary>
public sealed class JsonataException : Exception
{
    public JsonataException(string code, string message, int position = -1, string? token = null, object? value = null)
        : base(message)
    {
        Code = code;
        Position = position;
        Token = token;
        Value = value;
    }

    /// <summary>The reference error code, e.g. <c>S0201</c>, <c>T2001</c>, <c>D3001</c>, <c>U1001</c>.</summary>
    public string Code { get; }

    /// <summary>Character offset in the expression where the error was detected, or -1 when unknown.</summary>
    public int Position { get; }

    /// <summary>The token at fault, when the reference reports one.</summary>
    public string? Token { get; }

    /// <summary>The offending value, when the reference reports one (e.g. the argument of <c>$encodeUrl</c>).</summary>
    public object? Value { get; }

    /// <summary>The function at fault, when the reference reports one.</summary>
    public string? FunctionName { get; init; }
}
