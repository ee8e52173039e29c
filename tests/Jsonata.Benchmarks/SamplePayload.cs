using System.Globalization;
using System.Text;

namespace Jsonata.Benchmarks;

/// <summary>A deterministic e-commerce order webhook and the transforms measured against it.</summary>
internal static class SamplePayload
{
    public static readonly (string Name, string Expression)[] Transforms =
    [
        ("reshape order", """
            {
              "orderId": $string(id),
              "customer": customer.(first_name & ' ' & last_name),
              "email": $lowercase(customer.email),
              "city": customer.addresses[0].city,
              "total": $round($sum(line_items.(price * quantity)) + $sum(shipping_lines.price), 2),
              "items": line_items[quantity > 0].{ "sku": sku, "name": $uppercase(title), "amount": price * quantity, "color": properties[name='color'].value },
              "byVendor": line_items{ vendor: $sum(price) },
              "created": $fromMillis($toMillis(created_at)),
              "tags": $split(tags, ', '),
              "count": $count(line_items)
            }
            """),
        ("top five by price", "line_items^(>price)[[0..4]].sku"),
        ("map with lambda", "$map(line_items, function($i){ $i.price > 100 ? 'big' : 'small' })"),
        ("filter and project", "line_items[vendor = 'Acme' and quantity > 1].{ 'sku': sku, 'total': price * quantity }"),
        ("sum amounts", "$sum(line_items.(price * quantity))"),
        ("group by vendor", "line_items{vendor: {'count': $count(sku), 'value': $sum(price)}}"),
    ];

    public static string Order(int lineItems)
    {
        var random = new Random(1);
        string[] vendors = ["Acme", "Globex", "Initech"];
        string[] colors = ["red", "green", "blue"];
        var sb = new StringBuilder();
        sb.Append("""{"id": 450789469, "email": "bob@example.com", "created_at": "2024-05-06T10:15:30Z", "currency": "USD", "tags": "vip, wholesale, repeat",""");
        sb.Append("""
            "customer": {"first_name": "Bob", "last_name": "Norman", "email": "Bob@Example.com", "addresses": [{"city": "Ottawa", "country": "CA"}]},
            """);
        sb.Append("\"line_items\": [");
        for (var i = 0; i < lineItems; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var price = Math.Round(1 + (random.NextDouble() * 199), 2).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $$"""{"id": {{i}}, "sku": "SKU-{{i:0000}}", "title": "Product number {{i}}", "price": {{price}}, "quantity": {{random.Next(0, 6)}}, "properties": [{"name": "color", "value": "{{colors[random.Next(3)]}}"}], "vendor": "{{vendors[random.Next(3)]}}"}""");
        }

        sb.Append("""], "shipping_lines": [{"price": 10.5}, {"price": 2.25}]}""");
        return sb.ToString();
    }
}
