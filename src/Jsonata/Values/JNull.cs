namespace Jsonata.Values;

/// <summary>The JSON <c>null</c> value. Undefined (no value) is represented by a CLR <c>null</c>.</summary>
internal sealed class JNull
{
    public static readonly JNull Instance = new();

    private JNull()
    {
    }

    public override string ToString() => "null";
}
