using System.Reflection;
using Herald.Server.Http;

namespace Herald.Server.Tests.Http;

/// <summary>The three id kinds wrap the same text yet stay apart: no kind equals another, and none is made implicitly.</summary>
public sealed class IdTests
{
    [Fact]
    public void Ids_of_different_kinds_over_the_same_text_are_not_equal()
    {
        object org = OrganizationId.From("same");
        object config = ConfigId.From("same");
        object evt = EventId.From("same");

        Assert.False(org.Equals(config));
        Assert.False(config.Equals(evt));
        Assert.False(evt.Equals(org));
        Assert.Equal(OrganizationId.From("same"), org);
        Assert.NotEqual(OrganizationId.From("other"), org);
    }

    [Fact]
    public void An_id_prints_as_its_text()
    {
        Assert.Equal("org-1", OrganizationId.From("org-1").ToString());
        Assert.Equal("abc", $"{ConfigId.From("abc")}");
        Assert.Equal("evt_1", EventId.From("evt_1").Value);
    }

    [Theory]
    [InlineData(typeof(OrganizationId))]
    [InlineData(typeof(ConfigId))]
    [InlineData(typeof(EventId))]
    public void No_id_converts_from_a_string_implicitly(Type type)
    {
        var implicits = type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == "op_Implicit");
        Assert.Empty(implicits);
    }

    [Fact]
    public void An_empty_id_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OrganizationId.From(""));
        Assert.Throws<ArgumentException>(() => ConfigId.From(""));
        Assert.Throws<ArgumentException>(() => EventId.From(""));
    }
}
