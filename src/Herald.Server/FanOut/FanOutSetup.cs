namespace Herald.Server.FanOut;

public static class FanOutSetup
{
    public static IServiceCollection AddFanOut(this IServiceCollection services) => services.AddSingleton<EventFanOut>();
}
