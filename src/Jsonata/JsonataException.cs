using Jsonata.Errors;

namespace Jsonata;

/// <summary>
/// An error raised while compiling or evaluating an expression. <see cref="Code"/> is the code the
/// reference implementation (jsonata-js) uses for the same failure, e.g. <c>S0201</c> or <c>T2001</c>.
/// </summary>
public sealed class JsonataException : Exception
{
    private readonly string? _message;

    /// <summary>An error with its code and message, as a custom function raises one to fail an evaluation.</summary>
    /// <param name="code">The error code, e.g. <c>D3001</c>; see <see cref="Code"/>.</param>
    /// <param name="message">The text that <see cref="Exception.Message"/> returns.</param>
    /// <param name="position">The character offset in the expression where the error arose, or -1 when unknown.</param>
    /// <param name="token">The token of the expression involved, when there is one.</param>
    /// <param name="value">The value involved, when there is one.</param>
    public JsonataException(string code, string message, int position = -1, string? token = null, object? value = null)
        : base(message)
    {
        Code = code;
        _message = message;
        Position = position;
        Token = token;
        RawValue = value;
    }

    internal JsonataException(string code, int position = -1, string? token = null, object? value = null)
        : base(code)
    {
        Code = code;
        Position = position;
        Token = token;
        RawValue = value;
    }

    /// <summary>The reference error code, e.g. <c>S0201</c>, <c>T2001</c>, <c>D3001</c>, <c>U1001</c>.</summary>
    public string Code { get; }

    /// <summary>Character offset in the expression where the error was detected, or -1 when unknown.</summary>
    public int Position { get; internal set; }

    /// <summary>The token at fault, when the reference reports one.</summary>
    public string? Token { get; internal set; }

    /// <summary>
    /// The offending value, when the reference reports one (e.g. the argument of <c>$encodeUrl</c>): a string,
    /// number or boolean as such, arrays and objects as <see cref="System.Text.Json.Nodes.JsonNode"/>.
    /// </summary>
    public object? Value => RawValue switch
    {
        Values.JArray or Values.JObject => Json.JsonConvert.ToNode(RawValue),
        Values.JNull or Values.JFunction => null,
        _ => RawValue,
    };

    /// <summary>The offending value in the evaluator's own representation.</summary>
    internal object? RawValue { get; }

    /// <summary>The function at fault, when the reference reports one.</summary>
    public string? FunctionName { get; init; }

    /// <summary>A second offending value, for errors that compare two values.</summary>
    internal object? Value2 { get; init; }

    /// <summary>The token as the source had it (a number or literal rather than its text), for messages.</summary>
    internal object? TokenValue { get; init; }

    /// <summary>One-based argument index, for signature errors.</summary>
    internal int? Index { get; init; }

    /// <summary>Expected item type, for array signature errors.</summary>
    internal string? ExpectedType { get; init; }

    /// <summary>The inner error, for errors wrapped by <c>$eval</c>.</summary>
    internal object? Exponent { get; init; }

    /// <inheritdoc />
    public override string Message =>
        _message ?? ErrorMessages.Format(Code, TokenValue ?? Token, RawValue, Value2, Index, ExpectedType, FunctionName, Exponent);
}
