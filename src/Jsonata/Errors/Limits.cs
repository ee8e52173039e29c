using System.Runtime.CompilerServices;

namespace Jsonata.Errors;

/// <summary>
/// The engine's resource limits and their errors. Recursion over anything a user controls (expression text, input
/// documents, values an expression builds) either counts its depth against a limit or stops when the thread's stack
/// runs low; either way it ends in a <see cref="JsonataException"/>, never in a stack overflow that kills the process.
/// </summary>
internal static class Limits
{
    /// <summary>Deepest nesting of an expression's syntax: parser recursion and the depth of its syntax tree.</summary>
    public const int MaxExpressionNesting = 1000;

    /// <summary>Code of a result over <see cref="JsonataOptions.MaxResultBytes"/>.</summary>
    public const string ResultTooLargeCode = "U1003";

    public static JsonataException ExpressionTooDeep(int position) =>
        new("U1001", $"Expression nested too deeply: more than {MaxExpressionNesting} levels of nesting", position);

    /// <summary>Nodes the operands of <c>?:</c> and <c>??</c> may add to an expression by being copied.</summary>
    public const int MaxCopiedNodes = 100_000;

    public static JsonataException ExpressionTooLarge(int position) =>
        new("U1001", $"Expression too large: its ?: and ?? operators would copy more than {MaxCopiedNodes} syntax nodes", position);

    public static JsonataException ValueTooDeep() =>
        new("U1001", "Value nested too deeply to process: not enough stack for its nesting");

    public static JsonataException Timeout() =>
        new("U1001", "Expression evaluation timeout: Check for infinite loop");

    public static JsonataException ResultTooLarge(string what, long size, long limit) =>
        new(ResultTooLargeCode, $"Result too large: {what} of {size} bytes exceeds the limit of {limit} bytes (MaxResultBytes)");

    /// <summary>Throws a catchable error instead of letting a recursive walk of a value overflow the stack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw ValueTooDeep();
        }
    }
}
