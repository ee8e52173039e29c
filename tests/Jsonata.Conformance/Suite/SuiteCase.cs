using Jsonata.Values;

namespace Jsonata.Conformance.Suite;

/// <summary>One case of a conformance suite, as described by a case file (or one element of an array file).</summary>
internal sealed class SuiteCase
{
    public required string Id { get; init; }

    public required string Expression { get; init; }

    public bool HasData { get; init; }

    public object? Data { get; init; }

    /// <summary>Dataset name; null with <see cref="HasData"/> false means no input at all.</summary>
    public string? Dataset { get; init; }

    public JObject? Bindings { get; init; }

    public bool HasResult { get; init; }

    public object? Result { get; init; }

    public bool UndefinedResult { get; init; }

    public string? Code { get; init; }

    public string? Token { get; init; }

    public JObject? Error { get; init; }

    public int? TimeLimit { get; init; }

    public int? Depth { get; init; }
}
