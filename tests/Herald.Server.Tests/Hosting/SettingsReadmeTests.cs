using System.Reflection;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>Every setting Herald reads is listed in the README, so that every limit a user may meet is one they can find.</summary>
public class SettingsReadmeTests
{
    /// <summary>The types of values a setting holds; a property of another type is a subsection with its own settings.</summary>
    private static bool IsValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(TimeSpan) || t == typeof(decimal) || t == typeof(string[]);
    }

    /// <summary>Each options class names its section in a constant <c>Section</c>; each of its settable values is <c>Section:Name</c>.</summary>
    public static TheoryData<string> Settings()
    {
        var settings = new TheoryData<string>();
        foreach (var type in typeof(Herald.Server.Http.RequestOptions).Assembly.GetTypes())
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field || field.GetRawConstantValue() is not string section)
            {
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true } && IsValue(property.PropertyType))
                {
                    settings.Add($"{section}:{property.Name}");
                }
            }
        }
        return settings;
    }

    [Fact]
    public void The_settings_are_found()
    {
        // The sections of the delivery queue and of the request bodies, at least: a reader that finds none proves nothing.
        var names = Settings().Select(row => row.Data).ToList();
        Assert.Contains("Workers:OrganizationsPerClaim", names);
        Assert.Contains("Requests:MaxBodyBytesInFlight", names);
        Assert.Contains("Delivery:MaxConcurrentPerOrganization", names);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_setting_is_listed_in_the_README(string setting)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        Assert.True(readme.Contains($"`{setting}`", StringComparison.Ordinal), $"README.md does not list the setting `{setting}`");
    }
}
