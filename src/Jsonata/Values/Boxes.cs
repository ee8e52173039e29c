namespace Jsonata.Values;

/// <summary>Shared boxed values, so hot paths do not allocate for booleans and small integers.</summary>
internal static class Boxes
{
    public static readonly object True = true;
    public static readonly object False = false;

    private static readonly object[] SmallInts = CreateSmallInts();

    public static object Bool(bool value) => value ? True : False;

    public static object Number(double value)
    {
        if (value >= 0 && value < SmallInts.Length && value == Math.Floor(value) && !(value == 0 && double.IsNegative(value)))
        {
            return SmallInts[(int)value];
        }

        return value;
    }

    private static object[] CreateSmallInts()
    {
        var result = new object[1024];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (double)i;
        }

        return result;
    }
}
