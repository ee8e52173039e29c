using Herald.Server.Events;

namespace Herald.Server.Tests.Events;

/// <summary>The one mapping between attempt outcome codes and the strings the API shows and both stores keep.</summary>
public sealed class DeliveryCodeTests
{
    [Theory]
    [InlineData(DeliveryCode.InternalError, "INTERNAL_ERROR")]
    [InlineData(DeliveryCode.ResponseTooLarge, "INTERNAL_RESPONSE_TOO_LARGE")]
    [InlineData(DeliveryCode.DestinationBlocked, "DESTINATION_BLOCKED")]
    [InlineData(DeliveryCode.Timeout, "TIMEOUT")]
    [InlineData(DeliveryCode.ConnectionError, "CONNECTION_ERROR")]
    [InlineData(DeliveryCode.OAuthTokenExchangeError, "OAuthTokenExchangeError")]
    [InlineData(DeliveryCode.EnvVariableNotFound, "ENV_VARIABLE_NOT_FOUND")]
    [InlineData(DeliveryCode.StaticIpUnavailable, "STATIC_IP_UNAVAILABLE")]
    [InlineData(DeliveryCode.EventVersionUnreachable, "EVENT_VERSION_UNREACHABLE")]
    [InlineData(DeliveryCode.EventDowngradeFailed, "EVENT_DOWNGRADE_FAILED")]
    [InlineData(DeliveryCode.FileNotAllowed, "FILE_NOT_ALLOWED")]
    [InlineData(DeliveryCode.TooManyFiles, "TOO_MANY_FILES")]
    public void Each_code_is_spelled_as_before_and_reads_back(DeliveryCode code, string wire)
    {
        Assert.Equal(wire, code.ToWire());
        Assert.Equal(code, DeliveryCodes.FromWire(wire));
    }

    [Fact]
    public void Every_code_has_its_own_wire_text()
    {
        var codes = Enum.GetValues<DeliveryCode>();
        Assert.Equal(codes.Length, codes.Select(c => c.ToWire()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Equal(c, DeliveryCodes.FromWire(c.ToWire())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("timeout")]
    [InlineData("Timeout")]
    [InlineData("HTTP_500")]
    [InlineData("SOME_FUTURE_CODE")]
    public void A_stored_text_this_version_does_not_know_reads_back_as_no_code(string? text)
    {
        Assert.Null(DeliveryCodes.FromWire(text));
    }
}
