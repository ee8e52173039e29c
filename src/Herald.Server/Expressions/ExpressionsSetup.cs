namespace Herald.Server.Expressions;

public static class ExpressionsSetup
{
    /// <summary>The <c>Transforms</c> section's guards and the one runtime every JSONata expression runs in.</summary>
    public static IServiceCollection AddExpressions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton((configuration.GetSection(TransformOptions.Section).Get<TransformOptions>() ?? new TransformOptions()).Validated());
        services.AddSingleton<ExpressionMetrics>();
        services.AddSingleton<JsonataRuntime>();
        return services;
    }
}
