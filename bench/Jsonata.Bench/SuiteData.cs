namespace Jsonata.Bench;

/// <summary>
/// Two datasets of the official JSONata test suite (MIT licence, jsonata-js 2.2.2), copied as data for the suite
/// expressions in <see cref="Workload"/>.
/// </summary>
internal static class SuiteData
{
    /// <summary><c>datasets/dataset5.json</c>.</summary>
    public const string Dataset5 = """
        {"Account": {"Account Name": "Firefly", "Order": [{"OrderID": "order103", "Product": [{"Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "0406654608", "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75}, "Price": 34.45, "Quantity": 2}, {"Product Name": "Trilby hat", "ProductID": 858236, "SKU": "0406634348", "Description": {"Colour": "Orange", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.6}, "Price": 21.67, "Quantity": 1}]}, {"OrderID": "order104", "Product": [{"Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "040657863", "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75}, "Price": 34.45, "Quantity": 4}, {"ProductID": 345664, "SKU": "0406654603", "Product Name": "Cloak", "Description": {"Colour": "Black", "Width": 30, "Height": 20, "Depth": 210, "Weight": 2}, "Price": 107.99, "Quantity": 1}]}]}}
        """;

    /// <summary><c>datasets/employees.json</c>.</summary>
    public const string Employees = """
        {"Employee": [{"SSN": "496913021", "FirstName": "Fred", "Surname": "Smith"}, {"SSN": "496737199", "FirstName": "Darren", "Surname": "Cruse"}, {"SSN": "496306525", "FirstName": "Hugh", "Surname": "Jones"}], "Contact": [{"ssn": "496913021", "Phone": [{"type": "home", "number": "0203 544 1234"}, {"type": "office", "number": "01962 001234"}, {"type": "mobile", "number": "077 7700 1234"}]}, {"ssn": "496737199", "Phone": [{"type": "home", "number": "3146458343"}, {"type": "mobile", "number": "315 782 9279"}]}, {"ssn": "496306525", "Phone": [{"type": "home", "number": "0280 564 6543"}]}, {"ssn": "496306525", "Phone": [{"type": "office", "number": "0280 864 8643"}]}, {"ssn": "496306525", "Phone": [{"type": "mobile", "number": "07735 853535"}]}]}
        """;
}
