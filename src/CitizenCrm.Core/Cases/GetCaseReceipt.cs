using CultureInfo = System.Globalization.CultureInfo;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Cases;

/// <summary>What the party takes home from the desk: the number, the date, the deadline and what happens next, in Romanian.</summary>
public sealed record CaseReceipt(
    string Institution,
    string RegistrationNumber,
    string Kind,
    string KindName,
    string Status,
    string Subject,
    string PartyName,
    DateTimeOffset RegisteredAt,
    string RegisteredAtLocal,
    DateOnly RegisteredOn,
    DateOnly? DueOn,
    string WhatHappensNext,
    [property: JsonIgnore] Guid? CitizenId) : ICitizenDataResult
{
    [JsonIgnore]
    public IEnumerable<Guid> CitizensShown => CitizenId is { } id ? [id] : [];
}

public sealed record GetCaseReceipt(Guid CaseId) : IPersonalDataQuery<CaseReceipt>;

public sealed class GetCaseReceiptHandler(UnitOfWork uow, IOptions<RegistryOptions> options) : IQueryHandler<GetCaseReceipt, CaseReceipt>
{
    private const string CategoryName = "SELECT name FROM service_categories WHERE code = @Code";

    public async ValueTask<CaseReceipt> Handle(GetCaseReceipt query, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, query.CaseId, ct);
        var category = c.CategoryCode is null ? null : await uow.ExecuteScalarAsync<string>(CategoryName, new { Code = c.CategoryCode }, ct);
        var registeredAt = Calendar.FromMs(c.RegisteredAt);
        var local = TimeZoneInfo.ConvertTime(registeredAt, Calendar.Bucharest);
        return new CaseReceipt(
            $"Primăria {options.Value.CityName}",
            c.RegistrationNumber, c.Kind, category is null ? CaseKinds.Romanian(c.Kind) : $"{CaseKinds.Romanian(c.Kind)}: {category}",
            c.Status, c.Subject, c.PartyName, registeredAt, local.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture), c.RegisteredOn,
            c.DueOn, WhatHappensNext(c), c.CitizenId);
    }

    private static string Ro(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static string WhatHappensNext(CaseRow c)
    {
        var keep = $" Păstrați numărul {c.RegistrationNumber}: cu el aflați stadiul lucrării la ghișeu sau la telefon.";
        if (c.PartyKind == PartyKinds.Anonymous)
            return "Petiția nu cuprinde date de identificare ale petentului și, potrivit art. 7 din OG 27/2002, se clasează.";
        var due = c.DueOn is { } d ? Ro(d) : "";
        return c.Kind switch
        {
            CaseKinds.Petition =>
                $"Veți primi răspuns în termen de 30 de zile de la înregistrare, cel târziu la {due} (OG 27/2002, art. 8). " +
                "Dacă termenul trebuie prelungit (o singură dată, cu cel mult 15 zile), veți fi anunțat înainte de expirarea lui. " +
                "Dacă rezolvarea nu este de competența primăriei, petiția se trimite în 5 zile autorității competente, iar dumneavoastră veți fi anunțat." + keep,
            CaseKinds.InformationRequest =>
                $"Veți primi răspuns în 10 zile, cel târziu la {due}. Dacă adunarea informațiilor cere mai mult timp, veți fi anunțat în aceste 10 zile " +
                "că răspunsul vine în cel mult 30 de zile. Un eventual refuz vă este comunicat, motivat, în 5 zile (Legea 544/2001, art. 7)." + keep,
            _ => $"Cererea se soluționează în {c.TermDays} zile, cel târziu la {due}. Veți fi anunțat când răspunsul este gata." + keep,
        };
    }
}

/// <summary>The receipt as a printable page. Everything that came from a person is HTML-encoded.</summary>
public static class ReceiptHtml
{
    // Encodes the markup characters (< > & " ') and leaves Romanian and Hungarian letters readable in the page source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Render(CaseReceipt r)
    {
        static string E(string? s) => Encoder.Encode(s ?? "");
        var due = r.DueOn is { } d ? d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture) : "—";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"ro\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Număr de înregistrare ").Append(E(r.RegistrationNumber)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}th{text-align:left;padding-right:1em;vertical-align:top}" +
                    "</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(r.Institution)).Append("</h1>\n")
            .Append("<h2>Dovadă de înregistrare</h2>\n<table>\n")
            .Append("<tr><th>Număr de înregistrare</th><td><strong>").Append(E(r.RegistrationNumber)).Append("</strong></td></tr>\n")
            .Append("<tr><th>Data înregistrării</th><td>").Append(E(r.RegisteredAtLocal)).Append("</td></tr>\n")
            .Append("<tr><th>Tip</th><td>").Append(E(r.KindName)).Append("</td></tr>\n")
            .Append("<tr><th>Petent</th><td>").Append(E(r.PartyName)).Append("</td></tr>\n")
            .Append("<tr><th>Obiect</th><td>").Append(E(r.Subject)).Append("</td></tr>\n")
            .Append("<tr><th>Termen de răspuns</th><td>").Append(E(due)).Append("</td></tr>\n")
            .Append("</table>\n<h3>Ce urmează</h3>\n<p>").Append(E(r.WhatHappensNext)).Append("</p>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }
}
