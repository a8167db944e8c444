using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Names the query or route parameter that could not be read, as the request delegates built at run time did. The
/// compile-time ones (EnableRequestDelegateGenerator, in the csproj for start-up time) throw "Failed to bind parameter"
/// for a required value but answer an optional one (int?, bool?, DateTimeOffset?) that does not parse with a bare 400
/// and no word of which. Such an empty 400 is caught here, the parameter found by reading the values again, and the
/// same exception thrown, so ProblemMapping answers "'perhaps' is not a valid value for overdue." as before.
/// </summary>
public sealed class UnparsedParameter(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        await next(http);
        if (http.Response is not { StatusCode: 400, HasStarted: false, ContentLength: null or 0 }) return;
        var parameters = http.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var parameter in parameters.Where(p => p.HasTryParse))
        {
            var values = http.Request.RouteValues.TryGetValue(parameter.Name, out var route) && route is not null
                ? [Convert.ToString(route, CultureInfo.InvariantCulture)]
                : http.Request.Query[parameter.Name].ToArray();
            var type = parameter.ParameterInfo.ParameterType;
            if (type.IsArray) type = type.GetElementType()!;
            type = Nullable.GetUnderlyingType(type) ?? type;
            foreach (var value in values)
                if (!string.IsNullOrEmpty(value) && !Parses(type, value))
                    throw new BadHttpRequestException($"Failed to bind parameter \"{type.Name} {parameter.Name}\" from \"{value}\".");
        }
    }

    private static bool Parses(Type type, string value)
    {
        if (type == typeof(string)) return true;
        if (type.IsEnum) return Enum.TryParse(type, value, ignoreCase: true, out _);
        var withCulture = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        if (withCulture is not null) return (bool)withCulture.Invoke(null, [value, CultureInfo.InvariantCulture, null])!;
        var plain = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);
        return plain is null || (bool)plain.Invoke(null, [value, null])!;
    }
}
