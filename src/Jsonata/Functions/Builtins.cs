using Jsonata.Evaluation;
using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>The built-in function library, bound in a frame that every evaluation inherits.</summary>
internal static partial class Builtins
{
    private static readonly Lazy<Frame> LazyFrame = new(CreateFrame);

    /// <summary>The shared, read-only frame holding every built-in function.</summary>
    public static Frame Frame => LazyFrame.Value;

    internal static object? Arg(object?[] args, int index) => index < args.Length ? args[index] : null;

    private static Frame CreateFrame()
    {
        var frame = new Frame(null);

        void Def(string name, string signature, int arity, NativeImplementation impl, int? declared = null) =>
            frame.Bind(name, new NativeFunction(name, signature, arity, impl, declared));

        // aggregation
        Def("sum", "<a<n>:n>", 1, Sum);
        Def("count", "<a:n>", 1, Count);
        Def("max", "<a<n>:n>", 1, Max);
        Def("min", "<a<n>:n>", 1, Min);
        Def("average", "<a<n>:n>", 1, Average);

        // strings
        Def("string", "<x-b?:s>", 1, StringFn, 2);
        Def("substring", "<s-nn?:s>", 3, Substring);
        Def("substringBefore", "<s-s:s>", 2, SubstringBefore);
        Def("substringAfter", "<s-s:s>", 2, SubstringAfter);
        Def("lowercase", "<s-:s>", 1, Lowercase);
        Def("uppercase", "<s-:s>", 1, Uppercase);
        Def("length", "<s-:n>", 1, Length);
        Def("trim", "<s-:s>", 1, Trim);
        Def("pad", "<s-ns?:s>", 3, Pad);
        Def("match", "<s-f<s:o>n?:a<o>>", 3, RegexFunctions.Match);
        Def("contains", "<s-(sf):b>", 2, RegexFunctions.Contains);
        Def("replace", "<s-(sf)(sf)n?:s>", 4, RegexFunctions.Replace);
        Def("split", "<s-(sf)n?:a<s>>", 3, RegexFunctions.Split);
        Def("join", "<a<s>s?:s>", 2, Join);
        Def("formatNumber", "<n-so?:s>", 3, FormatNumber);
        Def("formatBase", "<n-n?:s>", 2, FormatBase);
        Def("formatInteger", "<n-s:s>", 2, FormatInteger);
        Def("parseInteger", "<s-s:n>", 2, ParseInteger);
        Def("base64encode", "<s-:s>", 1, UrlFunctions.Base64Encode);
        Def("base64decode", "<s-:s>", 1, UrlFunctions.Base64Decode);
        Def("encodeUrlComponent", "<s-:s>", 1, UrlFunctions.EncodeUrlComponent);
        Def("encodeUrl", "<s-:s>", 1, UrlFunctions.EncodeUrl);
        Def("decodeUrlComponent", "<s-:s>", 1, UrlFunctions.DecodeUrlComponent);
        Def("decodeUrl", "<s-:s>", 1, UrlFunctions.DecodeUrl);

        // numbers
        Def("number", "<(nsb)-:n>", 1, NumberFn);
        Def("floor", "<n-:n>", 1, Floor);
        Def("ceil", "<n-:n>", 1, Ceil);
        Def("round", "<n-n?:n>", 2, Round);
        Def("abs", "<n-:n>", 1, Abs);
        Def("sqrt", "<n-:n>", 1, Sqrt);
        Def("power", "<n-n:n>", 2, Power);
        Def("random", "<:n>", 0, (in CallContext _, object?[] _) => Random.Shared.NextDouble());

        // booleans
        Def("boolean", "<x-:b>", 1, BooleanFn);
        Def("not", "<x-:b>", 1, Not);
        Def("exists", "<x:b>", 1, (in CallContext _, object?[] a) => Boxes.Bool(Arg(a, 0) != null));

        // higher-order
        Def("map", "<af>", 2, HigherOrder.Map);
        Def("zip", "<a+>", 0, Zip);
        Def("filter", "<af>", 2, HigherOrder.Filter);
        Def("single", "<af?>", 2, HigherOrder.Single);
        Def("reduce", "<afj?:j>", 3, HigherOrder.Reduce);
        Def("sift", "<o-f?:o>", 2, HigherOrder.Sift);
        Def("each", "<o-f:a>", 2, HigherOrder.Each);
        Def("sort", "<af?:a>", 2, HigherOrder.Sort);

        // objects and arrays
        Def("keys", "<x-:a<s>>", 1, Keys);
        Def("lookup", "<x-s:x>", 2, (in CallContext _, object?[] a) => Util.Lookup(Arg(a, 0), Arg(a, 1) as string ?? "undefined"));
        Def("append", "<xx:a>", 2, (in CallContext _, object?[] a) => Util.Append(Arg(a, 0), Arg(a, 1)));
        Def("spread", "<x-:a<o>>", 1, (in CallContext _, object?[] a) => Spread(Arg(a, 0)));
        Def("merge", "<a<o>:o>", 1, Merge);
        Def("reverse", "<a:a>", 1, Reverse);
        Def("shuffle", "<a:a>", 1, Shuffle);
        Def("distinct", "<x:x>", 1, Distinct);
        Def("type", "<x:s>", 1, TypeFn);
        Def("clone", "<(oa)-:o>", 1, (in CallContext _, object?[] a) => Clone(Arg(a, 0)));
        Def("error", "<s?:x>", 1, ErrorFn);
        Def("assert", "<bs?:x>", 2, Assert);
        Def("eval", "<sx?:x>", 2, Eval);

        // dates
        Def("now", "<s?s?:s>", 2, DateFunctions.Now);
        Def("millis", "<:n>", 0, (in CallContext c, object?[] _) => (double)c.Environment.Context.TimestampMillis);
        Def("fromMillis", "<n-s?s?:s>", 3, DateFunctions.FromMillis);
        Def("toMillis", "<s-s?:n>", 2, DateFunctions.ToMillis);
        return frame;
    }

    /// <summary>
    /// The reference's <c>$string</c>: strings unchanged, functions as empty string, anything else as
    /// JSON with numbers rounded to 15 significant digits. Null result means undefined.
    /// </summary>
    public static string? StringOf(object? arg, bool prettify, long limit = 0)
    {
        switch (arg)
        {
            case null:
                return null;
            case string s:
                return s;
            case JFunction:
                return string.Empty;
            case double d when !double.IsFinite(d):
                throw new JsonataException("D3001", -1, null, d);
            case double d:
                return NumberFormatter.ToJsString(Math.Floor(d) == d ? d : NumberFormatter.ToPrecision15(d));
            case JArray { OuterWrapper: true } wrapped when wrapped.Count > 0:
                return JsonWriter.Serialize(wrapped[0], prettify, limit);
            default:
                return JsonWriter.Serialize(arg, prettify, limit);
        }
    }

    private static object? StringFn(in CallContext call, object?[] args)
    {
        var arg = Arg(args, 0);
        var prettify = Arg(args, 1) is true;
        return StringOf(arg, prettify, call.Environment.Context.MaxResultBytes);
    }
}
