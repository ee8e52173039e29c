using System.Globalization;
using System.Text.Json.Nodes;

namespace Jsonata.Bench;

/// <summary>Deterministic webhook payloads: the same seed always gives the same JSON text.</summary>
internal static class Payloads
{
    private static readonly string[] Categories = ["module", "inverter", "battery", "installation", "service"];
    private static readonly string[] Products =
    [
        "Solar module 410 Wp", "Hybrid inverter 10 kW", "Battery storage 10 kWh", "Mounting system roof", "Installation flat rate",
        "Wallbox 11 kW", "Smart meter gateway", "Maintenance contract", "Scaffolding", "Cable set DC",
    ];

    /// <summary>
    /// An <c>order_created</c> event as the Entity API sends it: the order entity (<c>_id</c>, <c>_schema</c>,
    /// <c>_title</c>, <c>_tags</c>, attributes, line items, addresses) and its related entities.
    /// </summary>
    public static string EntityOrderEvent(int lineItems)
    {
        var random = new Random(7);
        var items = new JsonArray();
        long subtotal = 0, tax = 0;
        for (var i = 0; i < lineItems; i++)
        {
            var unit = random.Next(2_000, 1_600_000);
            var quantity = random.Next(1, 5);
            var rate = i % 4 == 3 ? 19 : 0;
            var lineSubtotal = (long)unit * quantity;
            var lineTax = lineSubtotal * rate / 100;
            subtotal += lineSubtotal;
            tax += lineTax;
            items.Add(new JsonObject
            {
                ["_id"] = Id(random),
                ["product_id"] = Id(random),
                ["price_id"] = Id(random),
                ["description"] = $"{Products[random.Next(Products.Length)]} ({i + 1})",
                ["category"] = Categories[random.Next(Categories.Length)],
                ["quantity"] = quantity,
                ["unit_amount"] = unit,
                ["unit_amount_decimal"] = (unit / 100m).ToString("0.00", CultureInfo.InvariantCulture),
                ["amount_subtotal"] = lineSubtotal,
                ["amount_tax"] = lineTax,
                ["amount_total"] = lineSubtotal + lineTax,
                ["taxes"] = new JsonArray(new JsonObject { ["rate"] = rate.ToString(CultureInfo.InvariantCulture), ["amount"] = lineTax }),
                ["_tags"] = random.Next(3) == 0 ? new JsonArray("promo") : new JsonArray(),
            });
        }

        var relations = new JsonArray
        {
            Contact(random, "Jana", "Weber", "jana.weber@example.com", "billing"),
            Contact(random, "Tom", "Becker", "tom.becker@example.org", "technical"),
            new JsonObject
            {
                ["_id"] = Id(random), ["_schema"] = "opportunity", ["_title"] = "OPP-2026-0412 Weber PV",
                ["opportunity_number"] = "OPP-2026-0412", ["status"] = "won", ["_tags"] = new JsonArray("solar"),
            },
            Contact(random, "Mira", "Schulz", "m.schulz@example.net", "billing"),
            new JsonObject
            {
                ["_id"] = Id(random), ["_schema"] = "file", ["_title"] = "offer-OR-2026-000187.pdf",
                ["mime_type"] = "application/pdf", ["size_bytes"] = 184_233, ["_tags"] = new JsonArray("offer"),
            },
            new JsonObject
            {
                ["_id"] = Id(random), ["_schema"] = "account", ["_title"] = "Weber Haustechnik GmbH",
                ["tax_id"] = "DE 812 345 678", ["_tags"] = new JsonArray(),
            },
        };

        var payload = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["action"] = "Order created", ["origin"] = "Order management", ["user_id"] = "10014532", ["organization_id"] = "739224",
            },
            ["entity"] = new JsonObject
            {
                ["_id"] = "3fa1c2d4-8b6e-4f21-9a3c-5d7e8f901234",
                ["_schema"] = "order",
                ["_title"] = "OR 2026-000187 Weber / PV & Speicher",
                ["_org"] = "739224",
                ["_tags"] = new JsonArray("solar", "web-shop", "priority"),
                ["_created_at"] = "2026-02-27T09:41:12.318Z",
                ["_updated_at"] = "2026-03-02T16:05:47.002Z",
                ["order_number"] = "OR 2026-000187",
                ["status"] = "placed",
                ["currency"] = "EUR",
                ["payment_method"] = new JsonArray(new JsonObject
                {
                    ["type"] = "sepa",
                    ["data"] = new JsonObject { ["iban"] = "DE89 3704 0044 0532 0130 00", ["bank_name"] = "Commerzbank" },
                }),
                ["line_items"] = items,
                ["amount_subtotal"] = subtotal,
                ["amount_tax"] = tax,
                ["amount_total"] = subtotal + tax,
                ["billing_address"] = new JsonArray(new JsonObject
                {
                    ["street"] = "Lindenallee", ["street_number"] = "14", ["postal_code"] = "50968", ["city"] = "Köln", ["country"] = "DE",
                }),
                ["delivery_address"] = new JsonArray(new JsonObject
                {
                    ["street"] = "Am Südpark", ["street_number"] = "3a", ["postal_code"] = "50968", ["city"] = "Köln", ["country"] = "DE",
                }),
            },
            ["relations"] = relations,
        };
        return payload.ToJsonString();
    }

    /// <summary>A web-shop <c>orders/create</c> webhook: customer, line items with vendors and properties, shipping lines.</summary>
    public static string ShopOrder(int lineItems)
    {
        var random = new Random(1);
        string[] vendors = ["Acme", "Globex", "Initech"];
        string[] colors = ["red", "green", "blue"];
        var items = new JsonArray();
        for (var i = 0; i < lineItems; i++)
        {
            items.Add(new JsonObject
            {
                ["id"] = i,
                ["sku"] = $"SKU-{i:0000}",
                ["title"] = $"Product number {i}",
                ["price"] = Math.Round(1 + (random.NextDouble() * 199), 2),
                ["quantity"] = random.Next(0, 6),
                ["properties"] = new JsonArray(new JsonObject { ["name"] = "color", ["value"] = colors[random.Next(3)] }),
                ["vendor"] = vendors[random.Next(3)],
            });
        }

        var payload = new JsonObject
        {
            ["id"] = 450789469,
            ["email"] = "bob@example.com",
            ["created_at"] = "2024-05-06T10:15:30Z",
            ["currency"] = "USD",
            ["tags"] = "vip, wholesale, repeat",
            ["customer"] = new JsonObject
            {
                ["first_name"] = "Bob", ["last_name"] = "Norman", ["email"] = "Bob@Example.com",
                ["addresses"] = new JsonArray(new JsonObject { ["city"] = "Ottawa", ["country"] = "CA" }),
            },
            ["line_items"] = items,
            ["shipping_lines"] = new JsonArray(new JsonObject { ["price"] = 10.5 }, new JsonObject { ["price"] = 2.25 }),
        };
        return payload.ToJsonString();
    }

    private static JsonObject Contact(Random random, string first, string last, string email, string tag) => new()
    {
        ["_id"] = Id(random),
        ["_schema"] = "contact",
        ["_title"] = $"{first} {last}",
        ["first_name"] = first,
        ["last_name"] = last,
        ["email"] = new JsonArray(new JsonObject { ["email"] = email, ["_tags"] = new JsonArray(tag) }),
        ["phone"] = new JsonArray(new JsonObject { ["phone"] = $"+49 221 555{random.Next(1000, 9999)}" }),
        ["_tags"] = new JsonArray(),
    };

    private static string Id(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
