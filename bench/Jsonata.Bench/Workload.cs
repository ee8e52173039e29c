using System.Text.Json.Nodes;

namespace Jsonata.Bench;

/// <summary>One expression of the set, the name of the input it runs against, and where it comes from.</summary>
internal sealed record BenchCase(string Name, string Expression, string Input, string Origin);

/// <summary>
/// The one place the measured work is defined. Both engines read it from the same serialized file, so each
/// evaluates the same expression text against the same JSON text.
/// </summary>
internal static class Workload
{
    public const int LineItems = 25;

    public static IReadOnlyDictionary<string, string> Inputs() => new Dictionary<string, string>
    {
        ["order_created"] = Payloads.EntityOrderEvent(LineItems),
        ["shop_order"] = Payloads.ShopOrder(LineItems),
        ["dataset5"] = SuiteData.Dataset5,
        ["employees"] = SuiteData.Employees,
    };

    public static readonly BenchCase[] Cases =
    [
        new("reshape entity", """
            {
              "id": entity._id,
              "type": entity._schema,
              "title": entity._title,
              "number": entity.order_number,
              "status": $uppercase(entity.status),
              "tags": entity._tags,
              "customer": relations[_schema = 'contact'][0].{ "name": first_name & ' ' & last_name, "email": email[0].email },
              "address": entity.billing_address[0].(street & ' ' & street_number & ', ' & postal_code & ' ' & city),
              "total": entity.amount_total / 100,
              "currency": entity.currency,
              "items": $count(entity.line_items)
            }
            """, "order_created", "webhook"),
        new("map line items", """
            entity.line_items.{
              "sku": product_id,
              "name": description,
              "quantity": quantity,
              "unit_price": unit_amount / 100,
              "total": amount_total / 100,
              "taxed": taxes[0].rate != '0'
            }
            """, "order_created", "webhook"),
        new("sum amounts", """
            {
              "net": $sum(entity.line_items.amount_subtotal) / 100,
              "tax": $sum(entity.line_items.amount_tax) / 100,
              "gross": $round($sum(entity.line_items.(unit_amount * quantity + amount_tax)) / 100, 2),
              "average": $round($average(entity.line_items.amount_total) / 100, 2),
              "largest": $max(entity.line_items.amount_total) / 100
            }
            """, "order_created", "webhook"),
        new("filter relations", """
            relations[_schema = 'contact' and 'billing' in email._tags].{
              "id": _id,
              "name": _title,
              "email": email[0].email,
              "phone": phone[0].phone
            }
            """, "order_created", "webhook"),
        new("format dates", """
            {
              "created": $fromMillis($toMillis(entity._created_at), '[D01].[M01].[Y0001] [H01]:[m01]', '+0100'),
              "updated": $fromMillis($toMillis(entity._updated_at), '[FNn], [D1o] [MNn] [Y]'),
              "age_days": $floor(($toMillis(entity._updated_at) - $toMillis(entity._created_at)) / 86400000)
            }
            """, "order_created", "webhook"),
        new("condition", """
            entity._schema = 'order' and entity.status in ['placed', 'paid'] and entity.amount_total > 100000
              and 'solar' in entity._tags and $exists(relations[_schema = 'opportunity' and status = 'won'])
            """, "order_created", "webhook"),
        new("strings", """
            {
              "slug": $lowercase($replace($trim(entity._title), /[^A-Za-z0-9]+/, '-')),
              "reference": $join([$substringBefore(entity.order_number, ' '), $pad($substringAfter(entity.order_number, '-'), 8, '0')], '/'),
              "iban": $substring($replace(entity.payment_method[0].data.iban, ' ', ''), 0, 4) & '…',
              "contacts": $join(relations[_schema = 'contact'].$uppercase(last_name), ', '),
              "has_battery": $contains($join(entity.line_items.description, '|'), 'Battery')
            }
            """, "order_created", "webhook"),
        new("group by category", """
            entity.line_items{ category: { "count": $count(product_id), "total": $sum(amount_total) / 100 } }
            """, "order_created", "webhook"),
        new("top five by amount", """
            entity.line_items^(>amount_total, description)[[0..4]].{ "name": description, "total": amount_total / 100 }
            """, "order_created", "webhook"),
        new("lambda numbering", """
            $map(entity.line_items[quantity > 1], function($item, $i) { $string($i + 1) & '. ' & $item.description & ' x ' & $item.quantity })
            """, "order_created", "webhook"),
        new("reshape shop order", """
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
            """, "shop_order", "webhook"),
        new("suite transform operator", """
            $ ~> |Account.Order.Product|{"Total":Price*Quantity},["Description", "SKU"]|
            """, "dataset5", "suite groups/transforms/case000.json"),
        new("suite group with sums", """
            Account.Order{  OrderID: {    "TotalPrice":$sum(Product.(Price * Quantity)),    "Items": Product."Product Name"  }}
            """, "dataset5", "suite groups/object-constructor/case019.json"),
        new("suite join", """
            Employee@$e.Contact@$c[$c.ssn = $e.SSN]{ $e.(FirstName & ' ' & Surname): $join($c.Phone.number, ', ') }
            """, "employees", "suite groups/joins/employee-map-reduce.json (3rd case)"),
        new("suite parent operator", """
            Account.Order.(Product).{
              'Product': `Product Name`,
              'Order': %.OrderID,
              'Account': %.%.`Account Name`
            }
            """, "dataset5", "suite groups/parent-operator/parent003.jsonata"),
    ];

    /// <summary>The file handed to the Node runner and read back by this side: expressions, inputs, warm-up and batch time.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, string> inputs, Settings settings) => new()
    {
        ["settings"] = new JsonObject
        {
            ["batchMilliseconds"] = settings.BatchMilliseconds,
            ["warmupMilliseconds"] = settings.WarmupMilliseconds,
        },
        ["inputs"] = new JsonObject(inputs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
        ["cases"] = new JsonArray(Cases.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["expression"] = c.Expression,
            ["input"] = c.Input,
        }).ToArray()),
    };
}

/// <summary>How long each engine is measured per expression.</summary>
internal sealed record Settings(int Samples, int BatchMilliseconds, int WarmupMilliseconds);
