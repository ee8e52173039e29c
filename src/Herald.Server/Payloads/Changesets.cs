using System.Text.Json.Nodes;

namespace Herald.Server.Payloads;

/// <summary>
/// <c>apply_changesets</c>: shows an entity as it would be if its pending changesets were accepted. epilot keeps
/// them in the entity's <c>_changesets</c> field, keyed by attribute:
/// <c>{"iban": {"proposed_value": "DE02...", "previous_value": "DE89...", "related_values": {...}, ...}}</c>.
/// Each attribute takes its <c>proposed_value</c> (a changeset without one changes nothing), and each member of
/// <c>related_values</c> (the suffix fields of compound attributes, e.g. <c>price_decimal</c>) is set beside it.
/// <c>_changesets</c> itself stays, so receivers can still tell which values are pending. Pure.
/// </summary>
public static class Changesets
{
    public const string Field = "_changesets";

    public static void Apply(JsonObject entity)
    {
        if (entity[Field] is not JsonObject changesets)
        {
            return;
        }
        foreach (var (attribute, changeset) in changesets)
        {
            if (attribute == Field || changeset is not JsonObject entry || !entry.TryGetPropertyValue("proposed_value", out var proposed))
            {
                continue;
            }
            entity[attribute] = proposed?.DeepClone();
            if (entry["related_values"] is JsonObject related)
            {
                foreach (var (name, value) in related)
                {
                    if (name != Field)
                    {
                        entity[name] = value?.DeepClone();
                    }
                }
            }
        }
    }
}
