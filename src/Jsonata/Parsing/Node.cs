using Jsonata.Signatures;

namespace Jsonata.Parsing;

/// <summary>
/// A syntax tree node. The parser builds a raw tree with these; the post-processing pass turns it into
/// the evaluation tree (paths of steps, stages, tuple flags). After compilation a tree is never mutated,
/// which is what lets one compiled expression be evaluated on many threads at once.
/// </summary>
internal sealed class Node
{
    public Node(NodeType type, object? value, int position)
    {
        Type = type;
        Value = value;
        Position = position;
    }

    public NodeType Type;

    /// <summary>Operator symbol, name, variable name, or literal value, depending on <see cref="Type"/>.</summary>
    public object? Value;

    public int Position;

    public string Text => Value as string ?? string.Empty;

    // operands
    public Node? Lhs;
    public Node? Rhs;
    public Node? Expression;
    public List<Node>? Expressions;
    public List<Node>? Steps;
    public List<Node>? Arguments;
    public Node? Procedure;
    public Node? Body;
    public Node? Condition;
    public Node? Then;
    public Node? Else;
    public Node? Pattern;
    public Node? Update;
    public Node? Delete;

    /// <summary>Object constructor name/value pairs.</summary>
    public List<(Node Key, Node Value)>? Pairs;

    /// <summary>Raw order-by terms (parse tree) or processed sort terms.</summary>
    public List<SortTerm>? Terms;

    /// <summary>Name/value pairs of an object constructor, ready for grouping.</summary>
    public GroupSpec? ObjectSpec;

    /// <summary>Group-by object constructor attached to a step or expression.</summary>
    public GroupSpec? Group;

    public List<Stage>? Predicate;
    public List<Stage>? Stages;

    public Signature? Signature;

    // flags
    public bool KeepArray;
    public bool KeepSingletonArray;
    public bool ConsArray;
    public bool Tuple;
    public bool Thunk;

    /// <summary>A path of plain field names only (no predicates, bindings or grouping), eligible for direct lookup.</summary>
    public bool SimpleNames;

    public string? Focus;
    public string? Index;
    public Slot? Ancestor;

    /// <summary>Slot of a parent operator node.</summary>
    public Slot? Slot;

    public List<Slot>? SeekingParent;

    /// <summary>
    /// Copies a raw parse tree, so an operand that two branches share (as <c>?:</c> and <c>??</c> do)
    /// is post-processed independently in each.
    /// </summary>
    public Node DeepClone()
    {
        var copy = (Node)MemberwiseClone();
        copy.Lhs = Lhs?.DeepClone();
        copy.Rhs = Rhs?.DeepClone();
        copy.Expression = Expression?.DeepClone();
        copy.Expressions = Expressions?.Select(e => e.DeepClone()).ToList();
        copy.Steps = Steps?.Select(e => e.DeepClone()).ToList();
        copy.Arguments = Arguments?.Select(e => e.DeepClone()).ToList();
        copy.Procedure = Procedure?.DeepClone();
        copy.Body = Body?.DeepClone();
        copy.Condition = Condition?.DeepClone();
        copy.Then = Then?.DeepClone();
        copy.Else = Else?.DeepClone();
        copy.Pattern = Pattern?.DeepClone();
        copy.Update = Update?.DeepClone();
        copy.Delete = Delete?.DeepClone();
        copy.Pairs = Pairs?.Select(p => (p.Key.DeepClone(), p.Value.DeepClone())).ToList();
        copy.Terms = Terms?.Select(t => new SortTerm(t.Descending, t.Expression.DeepClone())).ToList();
        return copy;
    }
}

internal sealed class Slot
{
    public required string Label;
    public int Level;
    public int Index;
}

internal sealed class Stage
{
    public Stage(bool isIndex, Node? expr, string? variable, int position)
    {
        IsIndex = isIndex;
        Expr = expr;
        Variable = variable;
        Position = position;
    }

    public bool IsIndex { get; }

    public Node? Expr { get; }

    public string? Variable { get; }

    public int Position { get; }
}

internal sealed class SortTerm
{
    public SortTerm(bool descending, Node expression)
    {
        Descending = descending;
        Expression = expression;
    }

    public bool Descending { get; }

    public Node Expression { get; }
}

internal sealed class GroupSpec
{
    public GroupSpec(List<(Node Key, Node Value)> pairs, int position)
    {
        Pairs = pairs;
        Position = position;
    }

    public List<(Node Key, Node Value)> Pairs { get; }

    public int Position { get; }
}
