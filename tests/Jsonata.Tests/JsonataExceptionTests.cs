namespace Jsonata.Tests;

public class JsonataExceptionTests
{
    [Fact]
    public void Carries_code_position_and_token()
    {
        var error = new JsonataException("S0201", "Syntax error", 4, "+");
        Assert.Equal("S0201", error.Code);
        Assert.Equal(4, error.Position);
        Assert.Equal("+", error.Token);
        Assert.Equal("Syntax error", error.Message);
    }
}
