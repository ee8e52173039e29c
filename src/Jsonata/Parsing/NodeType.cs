namespace Jsonata.Parsing;

internal enum NodeType
{
    End,
    Name,
    Variable,
    String,
    Number,
    Value,
    Regex,
    Operator,
    Binary,
    Unary,
    Wildcard,
    Descendant,
    Parent,
    Function,
    Partial,
    Lambda,
    Condition,
    Block,
    Transform,
    Path,
    Bind,
    Apply,
    Sort,
}
