using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace CitizenCrm.Server.Open311;

/// <summary>The two formats of GeoReport v2, chosen by the resource's extension (services.xml, services.json).</summary>
public enum Open311Format { Xml, Json }

/// <summary>
/// One answer of the Open311 API, written once and rendered in both formats by GeoReport v2's rule: "JSON support is
/// based on a programmatic mapping of the XML format using the Spark Convention". A list is an XML element holding
/// one element per item (services/service, service_requests/request) and a JSON array; the root element disappears in
/// JSON. Empty values are empty XML elements and JSON nulls, as in the specification's own examples.
/// </summary>
public abstract record O311
{
    public sealed record Text(string? Value) : O311;
    public sealed record Number(double? Value) : O311;
    public sealed record Flag(bool Value) : O311;
    public sealed record Obj(IReadOnlyList<(string Name, O311 Value)> Fields) : O311;
    public sealed record List(string ItemName, IReadOnlyList<O311> Items) : O311;

    public static O311 Of(string? s) => new Text(s);
    public static O311 Of(double? d) => new Number(d);
    public static O311 Of(bool b) => new Flag(b);
    public static Obj Object(params (string, O311)[] fields) => new(fields);
}

public static class Open311Documents
{
    public const string XmlContentType = "text/xml; charset=utf-8", JsonContentType = "application/json; charset=utf-8";

    public static Open311Format? ParseFormat(string? extension) => extension switch
    {
        "xml" => Open311Format.Xml,
        "json" => Open311Format.Json,
        _ => null,
    };

    public static string ContentType(Open311Format format) => format == Open311Format.Json ? JsonContentType : XmlContentType;

    public static byte[] Render(Open311Format format, string rootName, O311 root) =>
        format == Open311Format.Json ? RenderJson(root) : RenderXml(rootName, root);

    // JSON is served as application/json to apps, never inside HTML, so ă, ș and + are written as themselves.
    private static byte[] RenderJson(O311 root)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJson(json, root);
        return buffer.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter json, O311 value)
    {
        switch (value)
        {
            case O311.Text { Value: null } or O311.Number { Value: null }: json.WriteNullValue(); break;
            case O311.Text t: json.WriteStringValue(t.Value); break;
            case O311.Number n: json.WriteNumberValue(n.Value!.Value); break;
            case O311.Flag f: json.WriteBooleanValue(f.Value); break;
            case O311.List l:
                json.WriteStartArray();
                foreach (var item in l.Items) WriteJson(json, item);
                json.WriteEndArray();
                break;
            case O311.Obj o:
                json.WriteStartObject();
                foreach (var (name, field) in o.Fields)
                {
                    json.WritePropertyName(name);
                    WriteJson(json, field);
                }
                json.WriteEndObject();
                break;
        }
    }

    private static byte[] RenderXml(string rootName, O311 root)
    {
        using var buffer = new MemoryStream();
        // "the root element must be preceded with the XML declaration including the encoding="UTF-8" attribute"; no BOM.
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(rootName);
            WriteXmlContent(xml, root);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static void WriteXmlContent(XmlWriter xml, O311 value)
    {
        switch (value)
        {
            case O311.Text t when t.Value is not null: xml.WriteString(XmlSafe(t.Value)); break;
            case O311.Number { Value: { } d }: xml.WriteString(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case O311.Flag f: xml.WriteString(f.Value ? "true" : "false"); break;
            case O311.List l:
                foreach (var item in l.Items)
                {
                    xml.WriteStartElement(l.ItemName);
                    WriteXmlContent(xml, item);
                    xml.WriteEndElement();
                }
                break;
            case O311.Obj o:
                foreach (var (name, field) in o.Fields)
                {
                    xml.WriteStartElement(name);
                    WriteXmlContent(xml, field);
                    xml.WriteFullEndElement();
                }
                break;
        }
    }

    /// <summary>Characters XML 1.0 cannot carry (a control character a reporter pasted) are dropped rather than failing the answer.</summary>
    private static string XmlSafe(string s)
    {
        var kept = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i])) kept.Append(s[i]).Append(s[++i]);
            else if (XmlConvert.IsXmlChar(s[i])) kept.Append(s[i]);
        }
        return kept.ToString();
    }

    /// <summary>GeoReport v2's error answer: a list of {code, description}; the HTTP status says the kind (400, 403, 404).</summary>
    public static O311 Errors(int code, IEnumerable<string> descriptions) =>
        new O311.List("error", descriptions.Select(d => (O311)O311.Object(("code", O311.Of(code)), ("description", O311.Of(d)))).ToList());
}
