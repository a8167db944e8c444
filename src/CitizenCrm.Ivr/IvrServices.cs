using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Scripts;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Ivr;

public static class IvrServices
{
    /// <summary>The phone robot's services; the "Phone" configuration section is bound by the host.</summary>
    public static IServiceCollection AddCitizenCrmIvr(this IServiceCollection services)
    {
        services.AddSingleton<ScriptStore>();
        services.AddScoped<PhoneActions>();
        return services;
    }
}
