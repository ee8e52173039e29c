namespace Jsonata;

/// <summary>
/// A function implemented in .NET and callable from expressions. Arguments arrive already checked
/// against the signature given at registration, if any.
/// </summary>
public delegate JsonataValue JsonataFunction(IReadOnlyList<JsonataValue> arguments);
