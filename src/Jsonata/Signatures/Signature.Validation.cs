using System.Text;
using System.Text.RegularExpressions;
using Jsonata.Values;

namespace Jsonata.Signatures;

internal sealed partial class Signature
{
    /// <summary>
    /// Greedy backtracking match of the argument type letters against the parameters, equivalent to the
    /// regular expression the signature describes but without allocating.
    /// </summary>
    private bool MatchFrom(ReadOnlySpan<char> symbols, int paramIndex, int pos, Span<int> counts)
    {
        if (paramIndex == _params.Count)
        {
            return pos == symbols.Length;
        }

        var p = _params[paramIndex];
        var available = 0;
        while (pos + available < symbols.Length && available < p.Max && p.Accepts.Contains(symbols[pos + available]))
        {
            available++;
        }

        for (var n = available; n >= p.Min; n--)
        {
            counts[paramIndex] = n;
            if (MatchFrom(symbols, paramIndex + 1, pos + n, counts))
            {
                return true;
            }
        }

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
    public object?[] Validate(object?[] args, object? context)
    {
        Span<char> buffer = args.Length <= 64 ? stackalloc char[args.Length] : new char[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            buffer[i] = SymbolOf(args[i]);
        }

        Span<int> counts = _params.Count <= 32 ? stackalloc int[_params.Count] : new int[_params.Count];
        if (!MatchFrom(buffer, 0, 0, counts))
        {
            throw ValidationError(args, new string(buffer));
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

    private JsonataException ValidationError(object?[] args, string supplied)
    {
        var partial = new StringBuilder("^");
        var goodTo = 0;
        foreach (var p in _params)
        {
            partial.Append(p.Regex);
            var m = Regex.Match(supplied, partial.ToString(), RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                break;
            }

            goodTo = m.Length;
        }

        return new JsonataException("T0410", -1, null, goodTo < args.Length ? args[goodTo] : null) { Index = goodTo + 1 };
    }
}
