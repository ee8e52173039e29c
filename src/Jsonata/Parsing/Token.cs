namespace Jsonata.Parsing;

internal enum TokenType
{
    Operator,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
}

internal sealed record Token(TokenType Type, object? Value, int Position)
{
    public string Text => Value as string ?? string.Empty;
}
