namespace Jsonata.Functions.Pictures;

/// <summary>
/// The inverse of <see cref="IntegerFormatter"/>: reads text written with an integer picture.
/// Like the reference it does not check the text against the picture; unreadable input gives NaN.
/// </summary>
internal static class IntegerParser
{
    public static double Parse(string text, IntegerPicture picture)
    {
        switch (picture.Kind)
        {
            case NumberingKind.Letters:
                return Numerals.FromLetters(text, picture.Case == LetterCase.Upper ? 'A' : 'a');
            case NumberingKind.Roman:
                return Numerals.FromRoman(text.ToUpperInvariant());
            case NumberingKind.Words:
                return EnglishWords.FromWords(text.ToLowerInvariant());
            case NumberingKind.Decimal:
                return ParseDecimal(text, picture);
            default:
                throw PictureErrors.UnsupportedSequence(picture.Token);
        }
    }

    private static double ParseDecimal(string text, IntegerPicture picture)
    {
        string digits = text;
        if (picture.Ordinal && digits.Length >= 2)
        {
            digits = digits[..^2];
        }
        foreach (var separator in picture.Separators)
        {
            digits = digits.Replace(separator.Text, "", StringComparison.Ordinal);
        }
        return JsNumber.ParseInt(DigitFamily.ToAscii(digits));
    }
}
