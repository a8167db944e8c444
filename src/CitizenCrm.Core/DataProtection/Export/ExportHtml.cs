using System.Net;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.DataProtection.Export;

/// <summary>
/// The export as a page a person reads and prints: the same document as the JSON file, part by part, each part titled in
/// Romanian (the city hall's language, Law 190/2018 applying the GDPR in Romania) with its JSON name beside it, and each
/// field under its JSON name, so the page and the file can be read side by side. Rendered from the JSON itself, so a
/// field added to the export appears here without a change. Every value is HTML-encoded and the page has no script
/// (the endpoint also forbids scripts by its Content-Security-Policy): a name typed as "&lt;script&gt;" is shown, never run.
/// </summary>
public static class ExportHtml
{
    private static readonly (string Key, string Title)[] Parts =
    [
        ("identity", "Identitate și date de contact"),
        ("cases", "Solicitările dumneavoastră, cu documentele, locul și fotografiile lor"),
        ("taxes", "Impozite și taxe locale"),
        ("fines", "Amenzi"),
        ("timeline", "Istoricul complet"),
        ("phoneCalls", "Apeluri telefonice"),
        ("phoneRequests", "Cereri de apel înapoi și mesaje vocale"),
        ("notifications", "Mesaje trimise"),
        ("readsOfYourRecord", "Cine din personal v-a consultat datele"),
        ("dataSubjectRequests", "Cererile dumneavoastră privind datele personale"),
        ("erasure", "Ștergerea datelor"),
        ("sources", "De unde provine fiecare parte"),
        ("leftOut", "Ce nu este inclus și de ce"),
    ];

    public static string Render(CitizenDataExport export)
    {
        var json = JsonSerializer.SerializeToElement(export, Json.Options);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"ro\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Datele cu caracter personal deținute de ").Append(E(export.Controller)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:2em;line-height:1.4}table{border-collapse:collapse;margin:.5em 0}")
            .Append("th,td{border:1px solid #999;padding:.2em .4em;text-align:left;vertical-align:top}th{background:#eee}")
            .Append("code{font-size:.9em}.empty{color:#555}@media print{body{margin:0}}</style>\n</head>\n<body>\n")
            .Append("<h1>Datele cu caracter personal deținute de ").Append(E(export.Controller)).Append("</h1>\n")
            .Append("<p>Copie a tuturor datelor despre dumneavoastră (art. 15 și art. 20 din Regulamentul (UE) 2016/679), generată la ")
            .Append(E(Calendar.LocalDate(export.GeneratedAt).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)))
            .Append(" pentru cererea <code>").Append(E(export.RequestId.ToString())).Append("</code>. ")
            .Append("Fișierul JSON cu același conținut poate fi preluat de alt operator.</p>\n");
        foreach (var (key, title) in Parts)
        {
            if (!json.TryGetProperty(key, out var part)) continue;
            html.Append("<section>\n<h2>").Append(E(title)).Append(" <small>(<code>").Append(E(key)).Append("</code>)</small></h2>\n");
            Value(html, part);
            html.Append("</section>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static void Value(StringBuilder html, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                html.Append("<table>");
                foreach (var p in value.EnumerateObject())
                {
                    html.Append("<tr><th>").Append(E(p.Name)).Append("</th><td>");
                    Value(html, p.Value);
                    html.Append("</td></tr>");
                }
                html.Append("</table>\n");
                break;
            case JsonValueKind.Array when value.GetArrayLength() == 0:
                html.Append("<span class=\"empty\">nimic</span>");
                break;
            case JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object):
                var columns = value.EnumerateArray().SelectMany(e => e.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
                html.Append("<table><tr>");
                foreach (var c in columns) html.Append("<th>").Append(E(c)).Append("</th>");
                html.Append("</tr>\n");
                foreach (var row in value.EnumerateArray())
                {
                    html.Append("<tr>");
                    foreach (var c in columns)
                    {
                        html.Append("<td>");
                        if (row.TryGetProperty(c, out var cell)) Value(html, cell);
                        html.Append("</td>");
                    }
                    html.Append("</tr>\n");
                }
                html.Append("</table>\n");
                break;
            case JsonValueKind.Array:
                html.Append("<ul>");
                foreach (var item in value.EnumerateArray())
                {
                    html.Append("<li>");
                    Value(html, item);
                    html.Append("</li>");
                }
                html.Append("</ul>");
                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                html.Append("<span class=\"empty\">—</span>");
                break;
            case JsonValueKind.True:
                html.Append("da");
                break;
            case JsonValueKind.False:
                html.Append("nu");
                break;
            case JsonValueKind.String:
                html.Append(E(value.GetString()!));
                break;
            default:
                html.Append(E(value.GetRawText()));
                break;
        }
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
