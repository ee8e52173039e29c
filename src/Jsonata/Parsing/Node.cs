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
    /// is post-processed independently in each. Each copied node is taken from <paramref name="budget"/>: nested
    /// copies double the tree at every level, so the parser grants a bounded number of them.
    /// </summary>
    public Node DeepClone(ref int budget) => DeepClone(0, ref budget);

    private Node DeepClone(int depth, ref int budget)
    {
        if (++depth > Errors.Limits.MaxExpressionNesting || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Limits.ExpressionTooDeep(Position);
        }

        if (--budget < 0)
        {
            throw Errors.Limits.ExpressionTooLarge(Position);
        }

        var copy = (Node)MemberwiseClone();
        copy.Lhs = Lhs?.DeepClone(depth, ref budget);
        copy.Rhs = Rhs?.DeepClone(depth, ref budget);
        copy.Expression = Expression?.DeepClone(depth, ref budget);
        copy.Expressions = CloneAll(Expressions, depth, ref budget);
        copy.Steps = CloneAll(Steps, depth, ref budget);
        copy.Arguments = CloneAll(Arguments, depth, ref budget);
        copy.Procedure = Procedure?.DeepClone(depth, ref budget);
        copy.Body = Body?.DeepClone(depth, ref budget);
        copy.Condition = Condition?.DeepClone(depth, ref budget);
        copy.Then = Then?.DeepClone(depth, ref budget);
        copy.Else = Else?.DeepClone(depth, ref budget);
        copy.Pattern = Pattern?.DeepClone(depth, ref budget);
        copy.Update = Update?.DeepClone(depth, ref budget);
        copy.Delete = Delete?.DeepClone(depth, ref budget);
        if (Pairs != null)
        {
            copy.Pairs = new List<(Node, Node)>(Pairs.Count);
            foreach (var (key, value) in Pairs)
            {
                copy.Pairs.Add((key.DeepClone(depth, ref budget), value.DeepClone(depth, ref budget)));
            }
        }

        if (Terms != null)
        {
            copy.Terms = new List<SortTerm>(Terms.Count);
            foreach (var term in Terms)
            {
                copy.Terms.Add(new SortTerm(term.Descending, term.Expression.DeepClone(depth, ref budget)));
            }
        }

        return copy;
    }

    private static List<Node>? CloneAll(List<Node>? nodes, int depth, ref int budget)
    {
        if (nodes == null)
        {
            return null;
        }

        var copies = new List<Node>(nodes.Count);
        foreach (var node in nodes)
        {
            copies.Add(node.DeepClone(depth, ref budget));
        }

        return copies;
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
