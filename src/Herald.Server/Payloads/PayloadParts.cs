using System.Text.Json.Nodes;
using Herald.Server.Configs;

namespace Herald.Server.Payloads;

/// <summary>
/// The optional parts of a trigger payload and the <c>payloadConfiguration</c> flag that keeps each:
/// <c>include_relations</c> → <c>relations</c>, <c>include_activity</c> → <c>activity</c>,
/// <c>include_changed_attributes</c> → <c>changed_attributes</c>. An absent flag keeps what was sent; <c>false</c>
/// drops the part; <c>true</c> keeps it too (hydration may fill <c>relations</c>). Pure.
/// </summary>
public static class PayloadParts
{
    public static void DropExcluded(JsonObject input, PayloadConfiguration? configuration)
    {
        if (configuration is null)
        {
            return;
        }
        Drop(input, "relations", configuration.IncludeRelations);
        Drop(input, "activity", configuration.IncludeActivity);
        Drop(input, "changed_attributes", configuration.IncludeChangedAttributes);
    }

    private static void Drop(JsonObject input, string part, bool? include)
    {
        if (include == false)
        {
            input.Remove(part);
        }
    }
}
