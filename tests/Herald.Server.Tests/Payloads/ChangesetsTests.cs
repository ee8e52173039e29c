using System.Text.Json.Nodes;
using Herald.Server.Payloads;

namespace Herald.Server.Tests.Payloads;

public sealed class ChangesetsTests
{
    [Theory]
    [InlineData(
        """{"iban":"DE89","_changesets":{"iban":{"proposed_value":"DE02","previous_value":"DE89","edit_mode":"external"}}}""",
        """{"iban":"DE02","_changesets":{"iban":{"proposed_value":"DE02","previous_value":"DE89","edit_mode":"external"}}}""")]
    [InlineData(
        """{"address":[{"city":"Cologne"}],"_changesets":{"address":{"proposed_value":[{"city":"Dusseldorf"}]}}}""",
        """{"address":[{"city":"Dusseldorf"}],"_changesets":{"address":{"proposed_value":[{"city":"Dusseldorf"}]}}}""")]
    [InlineData(
        """{"_changesets":{"phone":{"proposed_value":"+49 170"}}}""",
        """{"_changesets":{"phone":{"proposed_value":"+49 170"}},"phone":"+49 170"}""")]
    [InlineData(
        """{"note":"x","_changesets":{"note":{"proposed_value":null}}}""",
        """{"note":null,"_changesets":{"note":{"proposed_value":null}}}""")]
    [InlineData(
        """{"price":"10.00","price_decimal":"10.00","price_currency":"EUR","_changesets":{"price":{"proposed_value":"12.50","related_values":{"price_decimal":"12.50","price_currency":"USD"}}}}""",
        """{"price":"12.50","price_decimal":"12.50","price_currency":"USD","_changesets":{"price":{"proposed_value":"12.50","related_values":{"price_decimal":"12.50","price_currency":"USD"}}}}""")]
    [InlineData(
        """{"iban":"DE89","_changesets":{"iban":{"previous_value":"DE89"},"name":"not a changeset"}}""",
        """{"iban":"DE89","_changesets":{"iban":{"previous_value":"DE89"},"name":"not a changeset"}}""")]
    [InlineData("""{"iban":"DE89","_changesets":[{"attribute":"iban"}]}""", """{"iban":"DE89","_changesets":[{"attribute":"iban"}]}""")]
    [InlineData("""{"iban":"DE89"}""", """{"iban":"DE89"}""")]
    public void Each_attribute_shows_its_proposed_value_and_the_changesets_stay(string entity, string expected)
    {
        var shown = JsonNode.Parse(entity)!.AsObject();

        Changesets.Apply(shown);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), shown), shown.ToJsonString());
    }

    [Theory]
    [InlineData("""{"entity":{"_schema":"contract","_id":"c-1"}}""", "contract", "c-1")]
    [InlineData("""{"entity":{"_schema":"contract"}}""", null, null)]
    [InlineData("""{"entity":{"_schema":"contract","_id":""}}""", null, null)]
    [InlineData("""{"entity":{"_schema":"contract","_id":7}}""", null, null)]
    [InlineData("""{"entity":"c-1"}""", null, null)]
    [InlineData("""{}""", null, null)]
    public void Hydration_asks_for_the_entity_the_payload_names(string payload, string? slug, string? id)
    {
        var target = Hydration.TargetOf(JsonNode.Parse(payload)!.AsObject());

        Assert.Equal(slug, target?.Slug);
        Assert.Equal(id, target?.Id);
    }
}
