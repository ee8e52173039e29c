using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Signatures;

internal sealed partial class Signature
{
    /// <summary>
    /// Greedy backtracking match of the argument type letters against the parameters <c>[paramIndex, end)</c>,
    /// equivalent to the regular expression the signature describes but without allocating. With
    /// <paramref name="anchored"/> the letters must be used up; otherwise any prefix will do and
    /// <paramref name="matched"/> tells its length. States that failed once are remembered, so runs of repeatable
    /// parameters cost polynomial rather than exponential time; the clock of the evaluation is consulted as it goes.
    /// </summary>
    private bool MatchFrom(ReadOnlySpan<char> symbols, int paramIndex, int end, int pos, Span<int> counts, bool anchored, ref int matched, ref HashSet<long>? failed, EvalContext? eval)
    {
        if (paramIndex == end)
        {
            matched = pos;
            return !anchored || pos == symbols.Length;
        }

        var state = ((long)paramIndex << 32) | (uint)pos;
        if (failed != null && failed.Contains(state))
        {
            return false;
        }

        Errors.Limits.EnsureStack();
        eval?.Tick();
        var p = _params[paramIndex];
        var available = 0;
        while (pos + available < symbols.Length && available < p.Max && p.Accepts.Contains(symbols[pos + available]))
        {
            available++;
        }

        for (var n = available; n >= p.Min; n--)
        {
            counts[paramIndex] = n;
            if (MatchFrom(symbols, paramIndex + 1, end, pos + n, counts, anchored, ref matched, ref failed, eval))
            {
                return true;
            }
        }

        (failed ??= []).Add(state);
        return false;
    }

    public static char SymbolOf(object? value) => value switch
    {
        null => 'm',
        string => 's',
        double => 'n',
        bool => 'b',
        JNull => 'l',
        JArray => 'a',
        JFunction => 'f',
        _ => 'o',
    };

    /// <summary>Checks the arguments and returns them fixed up (context filled in, values promoted to arrays).</summary>
    public object?[] Validate(object?[] args, object? context, EvalContext? eval = null)
    {
        Span<char> buffer = args.Length <= 64 ? stackalloc char[args.Length] : new char[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            buffer[i] = SymbolOf(args[i]);
        }

        Span<int> counts = _params.Count <= 32 ? stackalloc int[_params.Count] : new int[_params.Count];
        var matched = 0;
        HashSet<long>? failed = null;
        if (!MatchFrom(buffer, 0, _params.Count, 0, counts, true, ref matched, ref failed, eval))
        {
            throw ValidationError(args, buffer, eval);
        }

        var validated = new object?[CountOutputs(counts)];
        var outIndex = 0;
        var argIndex = 0;
        var symbolPos = 0;
        for (var index = 0; index < _params.Count; index++)
        {
            var param = _params[index];
            var arg = argIndex < args.Length ? args[argIndex] : null;
            var count = counts[index];
            if (count == 0)
            {
                if (param.Context && param.ContextRegex != null)
                {
                    var contextType = SymbolOf(context);
                    if (param.Accepts.Contains(contextType))
                    {
                        validated[outIndex++] = context;
                    }
                    else
                    {
                        throw new JsonataException("T0411", -1, null, context) { Index = argIndex + 1 };
                    }
                }
                else
                {
                    validated[outIndex++] = arg;
                    argIndex++;
                }

                continue;
            }

            var group = buffer.Slice(symbolPos, count);
            symbolPos += count;
            foreach (var single in group)
            {
                arg = argIndex < args.Length ? args[argIndex] : null;
                if (param.Type == "a")
                {
                    if (single == 'm')
                    {
                        arg = null;
                    }
                    else
                    {
                        var arrayOk = true;
                        if (param.Subtype != null)
                        {
                            if (single != 'a' && !group.SequenceEqual(param.Subtype))
                            {
                                arrayOk = false;
                            }
                            else if (single == 'a' && arg is JArray arr && arr.Count > 0)
                            {
                                var itemType = SymbolOf(arr[0]);
                                if (itemType != param.Subtype[0])
                                {
                                    arrayOk = false;
                                }
                                else
                                {
                                    foreach (var item in arr)
                                    {
                                        if (SymbolOf(item) != itemType)
                                        {
                                            arrayOk = false;
                                            break;
                                        }
                                    }
                                }
                            }
                        }

                        if (!arrayOk)
                        {
                            throw new JsonataException("T0412", -1, null, arg)
                            {
                                Index = argIndex + 1,
                                ExpectedType = ArrayTypeNames.GetValueOrDefault(param.Subtype!),
                            };
                        }

                        if (single != 'a')
                        {
                            arg = new JArray { arg };
                        }
                    }
                }

                validated[outIndex++] = arg;
                argIndex++;
            }
        }

        return validated;
    }

    private int CountOutputs(ReadOnlySpan<int> counts)
    {
        var total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i] == 0 ? 1 : counts[i];
        }

        return total;
    }

    /// <summary>T0410 at the first argument that the longest matching run of leading parameters does not cover.</summary>
    private JsonataException ValidationError(object?[] args, ReadOnlySpan<char> supplied, EvalContext? eval)
    {
        var goodTo = 0;
        Span<int> counts = _params.Count <= 32 ? stackalloc int[_params.Count] : new int[_params.Count];
        for (var end = 1; end <= _params.Count; end++)
        {
            var matched = 0;
            HashSet<long>? failed = null;
            if (!MatchFrom(supplied, 0, end, 0, counts, false, ref matched, ref failed, eval))
            {
                break;
            }

            goodTo = matched;
        }

        return new JsonataException("T0410", -1, null, goodTo < args.Length ? args[goodTo] : null) { Index = goodTo + 1 };
    }
}
