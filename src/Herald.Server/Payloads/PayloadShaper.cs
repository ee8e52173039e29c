using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Delivery;

namespace Herald.Server.Payloads;

/// <summary>The input after <c>payloadConfiguration</c> shaped it, or why it could not be shaped.</summary>
public readonly record struct ShapedInput(JsonObject? Input, Prepared.Fail? Failure);

/// <summary>
/// Step 1 of a delivery: the input payload the filters and the transform see. Today the trigger payload as given.
/// </summary>
public sealed class PayloadShaper
{
    public Task<ShapedInput> ShapeAsync(JsonObject input, ConfigRecord config, CancellationToken cancellationToken) =>
        Task.FromResult(new ShapedInput(input, null));
}
