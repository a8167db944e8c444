using System.Text.Json;
using System.Text.Json.Serialization;

namespace CitizenCrm.Core.Common;

public static class Json
{
    /// <summary>The one set of JSON options for payloads, stored results and the API.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // ASP.NET reads a JSON body in the charset its Content-Type names, through Encoding.GetEncoding; .NET knows only
        // the Unicode encodings and Latin-1 until the code pages are registered. Older Romanian systems send
        // windows-1250 or iso-8859-2 (ă, î, â, ş, ţ), so register them. Registering twice is harmless.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
