using System.Text;

namespace Herald.Bench;

/// <summary>The trigger body every benchmark request carries: an order entity of typical size (about 0.8 KB).</summary>
public static class Payloads
{
    public static byte[] Trigger() => Encoding.UTF8.GetBytes("""
        {"metadata":{"action":"Benchmark","origin":"herald-bench"},
         "entity":{"_id":"5da0a718-c822-403d-9f5d-20d4584e0528","_schema":"order","_org":"bench-org","_title":"Order ORD-2026-000123",
          "order_number":"ORD-2026-000123","status":"open","currency":"EUR","total_amount":1234.56,"amount_subtotal":1037.44,"amount_tax":197.12,
          "_created_at":"2026-03-01T12:00:00.000Z","_updated_at":"2026-03-01T12:00:00.000Z","_tags":["benchmark","webhooks"],
          "billing_contact":{"first_name":"Erika","last_name":"Mustermann","email":"erika.mustermann@example.com","phone":"+49 30 1234567"},
          "billing_address":{"street":"Hauptstrasse","street_number":"12a","postal_code":"10115","city":"Berlin","country":"DE"},
          "line_items":[
            {"_id":"li-1","product_id":"p-100","name":"Solar panel 420 W","quantity":12,"unit_amount":79.5,"tax_rate":0.19},
            {"_id":"li-2","product_id":"p-200","name":"Inverter 8 kW","quantity":1,"unit_amount":83.44,"tax_rate":0.19}]}}
        """.ReplaceLineEndings(""));
}
