namespace Jsonata.Functions.Pictures;

/// <summary>
/// One sub-picture of a format-number picture (F&amp;O 3.1 sections 4.7.3 and 4.7.4): split into
/// prefix, integer, fraction, exponent and suffix parts, checked, and reduced to the variables
/// the formatting step needs.
/// </summary>
internal sealed class NumberSubPicture
{
    private readonly DecimalFormat _format;

    public string Text { get; }
    public string Prefix { get; private set; } = "";
    public string Suffix { get; private set; } = "";
    private string _active = "";
    private string _mantissa = "";
    private string? _exponent;
    private string _integerPart = "";
    private string _fractionalPart = "";

    /// <summary>Digit counts to the right of each integer-part separator, leftmost first.</summary>
    public List<int> IntegerGroupingPositions { get; } = [];
    public int RegularGrouping { get; private set; }

    /// <summary>Digit counts to the left of each fractional-part separator, leftmost first.</summary>
    public List<int> FractionalGroupingPositions { get; } = [];
    public int MinimumIntegerPartSize { get; private set; }
    public int ScalingFactor { get; private set; }
    public int MinimumFractionalPartSize { get; private set; }
    public int MaximumFractionalPartSize { get; private set; }
    public int MinimumExponentSize { get; private set; }

    private NumberSubPicture(string text, DecimalFormat format)
    {
        Text = text;
        _format = format;
    }

    public static NumberSubPicture Analyse(string text, DecimalFormat format)
    {
        var picture = new NumberSubPicture(text, format);
        picture.Split();
        picture.Validate();
        picture.Measure();
        return picture;
    }

    /// <summary>A copy for negative numbers when the picture has no second sub-picture.</summary>
    public NumberSubPicture WithPrefix(string prefix)
    {
        var copy = (NumberSubPicture)MemberwiseClone();
        copy.Prefix = prefix + Prefix;
        return copy;
    }

    public bool ContainsPercent => _format.Percent.Length > 0 && Text.Contains(_format.Percent, StringComparison.Ordinal);

    public bool ContainsPerMille => _format.PerMille.Length > 0 && Text.Contains(_format.PerMille, StringComparison.Ordinal);

    public bool HasDecimalSeparator => Text.Contains(_format.DecimalSeparator, StringComparison.Ordinal);

    private bool IsBoundary(char c) => _format.IsActive(c) && !DecimalFormat.Is(c, _format.ExponentSeparator);

    private void Split()
    {
        // The prefix runs up to the first active character and the suffix starts after the last;
        // an exponent separator alone does not end the prefix, since it is also a letter.
        int first = -1, last = -1;
        for (int i = 0; i < Text.Length; i++)
        {
            if (IsBoundary(Text[i]))
            {
                if (first < 0)
                {
                    first = i;
                }
                last = i;
            }
        }
        if (first >= 0)
        {
            Prefix = Text[..first];
            Suffix = Text[(last + 1)..];
        }
        int activeEnd = Text.Length - Suffix.Length;
        _active = Text[Prefix.Length..activeEnd];
        _mantissa = _active;
        int exponentAt = _format.ExponentSeparator.Length == 0 ? -1 : Text.IndexOf(_format.ExponentSeparator, Prefix.Length, StringComparison.Ordinal);
        if (exponentAt >= 0 && exponentAt <= activeEnd)
        {
            int inActive = exponentAt - Prefix.Length;
            _mantissa = _active[..inActive];
            int exponentStart = Math.Min(inActive + _format.ExponentSeparator.Length, _active.Length);
            _exponent = _active[exponentStart..];
        }
        int point = _format.DecimalSeparator.Length == 0 ? -1 : _mantissa.IndexOf(_format.DecimalSeparator, StringComparison.Ordinal);
        if (point < 0)
        {
            _integerPart = _mantissa;
        }
        else
        {
            _integerPart = _mantissa[..point];
            _fractionalPart = _mantissa[(point + _format.DecimalSeparator.Length)..];
        }
    }

    private void Validate()
    {
        // Every rule is checked and the last one broken is reported, matching the reference's
        // choice when a picture breaks several.
        string? error = null;
        var f = _format;
        if (Occurrences(f.DecimalSeparator) > 1) error = "D3081";
        if (Occurrences(f.Percent) > 1) error = "D3082";
        if (Occurrences(f.PerMille) > 1) error = "D3083";
        if (ContainsPercent && ContainsPerMille) error = "D3084";
        if (!_mantissa.Any(f.IsDigitSign)) error = "D3085";
        if (_active.Any(c => !f.IsActive(c))) error = "D3086";
        int point = f.DecimalSeparator.Length == 0 ? -1 : Text.IndexOf(f.DecimalSeparator, StringComparison.Ordinal);
        if (point >= 0)
        {
            bool before = point > 0 && DecimalFormat.Is(Text[point - 1], f.GroupingSeparator);
            int after = point + f.DecimalSeparator.Length;
            if (before || (after < Text.Length && DecimalFormat.Is(Text[after], f.GroupingSeparator))) error = "D3087";
        }
        else if (_integerPart.Length > 0 && DecimalFormat.Is(_integerPart[^1], f.GroupingSeparator))
        {
            error = "D3088";
        }
        if (f.GroupingSeparator.Length > 0 && Text.Contains(f.GroupingSeparator + f.GroupingSeparator, StringComparison.Ordinal)) error = "D3089";
        int optional = _integerPart.IndexOf(f.Digit, StringComparison.Ordinal);
        if (f.Digit.Length > 0 && optional > 0 && _integerPart[..optional].Any(f.IsFamilyDigit)) error = "D3090";
        optional = _fractionalPart.LastIndexOf(f.Digit, StringComparison.Ordinal);
        if (f.Digit.Length > 0 && optional >= 0 && _fractionalPart[optional..].Any(f.IsFamilyDigit)) error = "D3091";
        if (_exponent is { Length: > 0 } && (ContainsPercent || ContainsPerMille)) error = "D3092";
        if (_exponent is not null && (_exponent.Length == 0 || !_exponent.All(f.IsFamilyDigit))) error = "D3093";
        if (error is not null)
        {
            throw PictureErrors.NumberPicture(error);
        }
    }

    private int Occurrences(string property)
    {
        if (property.Length == 0)
        {
            return 0;
        }
        int count = 0;
        for (int at = Text.IndexOf(property, StringComparison.Ordinal); at >= 0; at = Text.IndexOf(property, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private void Measure()
    {
        var f = _format;
        for (int i = 0; i < _integerPart.Length; i++)
        {
            if (DecimalFormat.Is(_integerPart[i], f.GroupingSeparator))
            {
                IntegerGroupingPositions.Add(_integerPart[(i + 1)..].Count(f.IsDigitSign));
            }
        }
        RegularGrouping = RegularIntervalOf(IntegerGroupingPositions);
        for (int i = 0; i < _fractionalPart.Length; i++)
        {
            if (DecimalFormat.Is(_fractionalPart[i], f.GroupingSeparator))
            {
                FractionalGroupingPositions.Add(_fractionalPart[..i].Count(f.IsDigitSign));
            }
        }
        MinimumIntegerPartSize = _integerPart.Count(f.IsFamilyDigit);
        ScalingFactor = MinimumIntegerPartSize;
        MinimumFractionalPartSize = _fractionalPart.Count(f.IsFamilyDigit);
        MaximumFractionalPartSize = _fractionalPart.Count(f.IsDigitSign);
        bool hasExponent = _exponent is not null;
        if (MinimumIntegerPartSize == 0 && MaximumFractionalPartSize == 0)
        {
            if (hasExponent)
            {
                MinimumFractionalPartSize = 1;
                MaximumFractionalPartSize = 1;
            }
            else
            {
                MinimumIntegerPartSize = 1;
            }
        }
        if (hasExponent && MinimumIntegerPartSize == 0 && _integerPart.Contains(f.Digit, StringComparison.Ordinal))
        {
            MinimumIntegerPartSize = 1;
        }
        if (MinimumIntegerPartSize == 0 && MinimumFractionalPartSize == 0)
        {
            MinimumFractionalPartSize = 1;
        }
        MinimumExponentSize = _exponent?.Count(f.IsFamilyDigit) ?? 0;
    }

    private static int RegularIntervalOf(List<int> positions)
    {
        if (positions.Count == 0)
        {
            return 0;
        }
        int gcd = positions.Aggregate(0, IntegerPicture.Gcd);
        return IntegerPicture.IsRegular(positions, gcd) ? gcd : 0;
    }
}
