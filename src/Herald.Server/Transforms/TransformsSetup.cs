using Herald.Server.Filters;

namespace Herald.Server.Transforms;

public static class TransformsSetup
{
    /// <summary>The payload transform, and the JSONata conditions the filter asks for through <see cref="IJsonataCondition"/>.</summary>
    public static IServiceCollection AddTransforms(this IServiceCollection services)
    {
        services.AddSingleton<IJsonataCondition, JsonataCondition>();
        services.AddSingleton<PayloadTransform>();
        return services;
    }
}
