using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Catalog;

/// <summary>One event a config can subscribe to, with the label shown to people and an optional example payload.</summary>
public sealed record CatalogEvent(string EventName, string EventLabel, JsonNode? Example);

/// <summary>
/// The events that can trigger webhooks, read from the <c>Catalog:Events</c> section: one child per event name,
/// with <c>Label</c> and either <c>Example</c> (JSON text) or <c>ExampleFile</c> (a JSON file, relative to the
/// content root). Operators add their own entries in any configuration source; they merge with the defaults.
/// </summary>
public sealed class EventCatalog
{
    public const string Section = "Catalog:Events";

    private readonly Dictionary<string, CatalogEvent> _events;

    public EventCatalog(IConfiguration configuration, IHostEnvironment environment)
    {
        _events = configuration.GetSection(Section).GetChildren()
            .Select(entry => new CatalogEvent(
                entry.Key,
                string.IsNullOrWhiteSpace(entry["Label"]) ? entry.Key : entry["Label"]!,
                ReadExample(entry, environment.ContentRootPath)))
            .ToDictionary(e => e.EventName, StringComparer.Ordinal);
    }

    public IEnumerable<CatalogEvent> All => _events.Values.OrderBy(e => e.EventLabel, StringComparer.OrdinalIgnoreCase);

    public CatalogEvent? Find(string eventName) => _events.GetValueOrDefault(eventName);

    private static JsonNode? ReadExample(IConfigurationSection entry, string contentRoot)
    {
        var text = entry["Example"];
        var file = entry["ExampleFile"];
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(file))
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file);
            text = File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"{entry.Path}:ExampleFile names a missing file: {path}");
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{entry.Path} has an example that is not valid JSON: {e.Message}");
        }
    }
}
