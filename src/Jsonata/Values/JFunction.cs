using Jsonata.Evaluation;
using Jsonata.Parsing;
using Jsonata.Signatures;

namespace Jsonata.Values;

/// <summary>A function value: a lambda, a built-in, a partial application or a regex matcher.</summary>
internal abstract class JFunction
{
    /// <summary>How many arguments the function declares; higher-order functions pass that many.</summary>
    public abstract int Arity { get; }

    public virtual Signature? Signature => null;
}

/// <summary>A closure over a lambda node.</summary>
internal sealed class Lambda : JFunction
{
    public Lambda(Node node, object? input, Frame environment, List<Node> parameters, Node body, Signature? signature, bool thunk)
    {
        Node = node;
        Input = input;
        Environment = environment;
        Parameters = parameters;
        Body = body;
        LambdaSignature = signature;
        Thunk = thunk;
    }

    public Node Node { get; }

    public object? Input { get; }

    public Frame Environment { get; }

    public List<Node> Parameters { get; }

    public Node Body { get; }

    public Signature? LambdaSignature { get; }

    public bool Thunk { get; }

    public override int Arity => Parameters.Count;

    public override Signature? Signature => LambdaSignature;
}

/// <summary>The implementation of a native function.</summary>
internal delegate object? NativeImplementation(in CallContext call, object?[] args);

/// <summary>What a native function sees of the caller: the context item and the environment.</summary>
internal readonly struct CallContext
{
    public CallContext(Evaluator evaluator, object? input, Frame environment)
    {
        Evaluator = evaluator;
        Input = input;
        Environment = environment;
    }

    public Evaluator Evaluator { get; }

    public object? Input { get; }

    public Frame Environment { get; }

    /// <summary>Invokes a function value with the given arguments, as a higher-order function does (no context item).</summary>
    public object? Apply(JFunction function, object?[] args) => Evaluator.Apply(function, args, null, Environment);
}

/// <summary>A built-in or registered native function.</summary>
internal sealed class NativeFunction : JFunction
{
    private readonly int _arity;
    private readonly Signature? _signature;

    public NativeFunction(string name, string? signature, int arity, NativeImplementation implementation, int? declaredParameters = null)
        : this(name, signature == null ? null : Signature.Parse(signature), arity, implementation, declaredParameters)
    {
    }

    public NativeFunction(string name, Signature? signature, int arity, NativeImplementation implementation, int? declaredParameters = null)
    {
        Name = name;
        _signature = signature;
        _arity = arity;
        Implementation = implementation;
        DeclaredParameters = declaredParameters ?? arity;
    }

    /// <summary>Parameters a partial application fills, which can exceed <see cref="Arity"/> when some are optional.</summary>
    public int DeclaredParameters { get; }

    public string Name { get; }

    public NativeImplementation Implementation { get; }

    public override int Arity => _arity;

    public override Signature? Signature => _signature;
}

/// <summary>A native function with some arguments already supplied (<c>$f(?, 2)</c>).</summary>
internal sealed class PartialNative : JFunction
{
    public PartialNative(NativeFunction target, object?[] boundArgs, bool[] holes)
    {
        Target = target;
        BoundArgs = boundArgs;
        Holes = holes;
    }

    public NativeFunction Target { get; }

    public object?[] BoundArgs { get; }

    public bool[] Holes { get; }

    public override int Arity => Holes.Count(h => h);
}

/// <summary>A regular expression literal used as a function value.</summary>
internal sealed class RegexMatcher : JFunction
{
    public RegexMatcher(RegexLiteral literal, int position, EvalContext context)
    {
        Literal = literal;
        Position = position;
        Context = context;
    }

    public RegexLiteral Literal { get; }

    /// <summary>The evaluation the matcher belongs to, whose deadline bounds every match.</summary>
    public EvalContext Context { get; }

    public int Position { get; }

    public override int Arity => 2;
}
