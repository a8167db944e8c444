using CitizenCrm.Core.Map;
using CitizenCrm.Core.Map.Photos;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The incident map's services: its settings, the city's boundary and the photos of reports.</summary>
public static class MapEndpoints
{
    public static IServiceCollection AddMap(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MapOptions>(configuration.GetSection("Map"));
        services.AddSingleton<MapBoundary>();
        services.AddScoped<IReportPhotos, ReportPhotos>();
        services.AddSingleton<PhotoStore>();
        services.AddHostedService<PhotoStartup>();
        services.Configure<CitizenCrm.Core.Map.Open311.Open311Options>(configuration.GetSection("Open311"));
        services.AddMapFeed(configuration);
        return services;
    }
}
