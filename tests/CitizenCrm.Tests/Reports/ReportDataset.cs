using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;

namespace CitizenCrm.Tests.Reports;

/// <summary>
/// The small registry the report tests count by hand, built through the registry desk's HTTP API on a fixed Bucharest
/// clock (March 2026 is UTC+2 until the 29th, then UTC+3):
///
///   registered Mon 2 March 10:00   P1 petition desk  citizen A   -> Urbanism; term extended by 10 days on 20 March (due 11 April); answered 8 April (37 days)
///                                  P2 petition email organisation -> Urbanism; forwarded 4 March (in the 5 days)
///                                  P3 petition post  anonymous    -> filed at registration (OG 27/2002 art. 7)
///                                  P4 petition desk  citizen B    -> Urbanism; never answered: due 1 April, overdue on 8 April
///                                  P5 petition web   citizen B    -> forwarded 10 March (late: the 5 days ended on 7 March)
///                                  I1 information email citizen A -> Relații cu publicul; answered 5 March 00:30 local (22:30 UTC on the 4th), 3 days
///                                  S1 service fiscal_certificate desk citizen B (term 2 days, due 4 March) -> answered 3 March by e-mail, 1 day
///   registered Tue 3 March 09:00   I2 information desk organisation -> Relații cu publicul; refused 6 March by post (exempt, art. 12), 3 days
///                                  S2 service street_light phone contact (term 5 days, due 8 March) -> answered 10 March by post, 7 days: late
///   the report is drawn on Wed 8 April 2026, 12:00.
/// </summary>
internal static class ReportDataset
{
    public const string Urbanism = "Urbanism", PublicRelations = "Relații cu publicul", Taxes = "Direcția de Impozite și Taxe Locale";

    public sealed record Cases(Guid P1, Guid P2, Guid P3, Guid P4, Guid P5, Guid I1, Guid I2, Guid S1, Guid S2);

    public static async Task<Cases> BuildAsync(RegistryDesk desk)
    {
        desk.SetLocalTime("2026-03-02 10:00");
        var a = await desk.NewCitizen("Ana", "Pop");
        var b = await desk.NewCitizen("Bogdan", "Ilie");
        var organisation = new { name = "Asociația de Proprietari Bloc 7", cui = "RO 185 472 90" };
        var p1 = (await desk.RegisterOk(new { kind = "petition", channel = "desk", subject = "Groapă pe strada Mihai Viteazul", citizenId = a })).Id;
        var p2 = (await desk.RegisterOk(new { kind = "petition", channel = "email", subject = "Apă pe scara blocului", organisation })).Id;
        var p3 = (await desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Scrisoare nesemnată", anonymous = true })).Id;
        var p4 = (await desk.RegisterOk(new { kind = "petition", channel = "desk", subject = "Zgomot noaptea", citizenId = b })).Id;
        var p5 = (await desk.RegisterOk(new { kind = "petition", channel = "web", subject = "Pensia mea", citizenId = b })).Id;
        var i1 = (await desk.RegisterOk(new { kind = "information_request", channel = "email", subject = "Bugetul pe 2026", citizenId = a })).Id;
        var s1 = (await desk.RegisterOk(new { kind = "service_request", channel = "desk", subject = "Certificat fiscal", service = "fiscal_certificate", citizenId = b })).Id;

        desk.SetLocalTime("2026-03-03 09:00");
        var i2 = (await desk.RegisterOk(new { kind = "information_request", channel = "desk", subject = "Contractele de salubrizare", organisation })).Id;
        var s2 = (await desk.RegisterOk(new { kind = "service_request", channel = "phone", subject = "Bec stins", service = "street_light",
            contact = new { name = "Vasile Moga", details = "strada Unirii 3" } })).Id;
        desk.SetLocalTime("2026-03-03 10:00");
        await desk.PostOk(s1, "assign", new { department = Taxes });
        await desk.PostOk(s1, "answer", Answer("email"));

        desk.SetLocalTime("2026-03-04 10:00");
        foreach (var p in new[] { p1, p2, p4 }) await desk.PostOk(p, "assign", new { department = Urbanism });
        await desk.PostOk(p2, "forward", new { forwardedTo = "Compania de Apă", noticeVia = "email" });
        await desk.PostOk(i1, "assign", new { department = PublicRelations });
        await desk.PostOk(i2, "assign", new { department = PublicRelations });
        await desk.PostOk(s2, "assign", new { department = "Serviciul Iluminat Public" });

        desk.SetLocalTime("2026-03-05 00:30");
        await desk.PostOk(i1, "answer", Answer("email"));

        desk.SetLocalTime("2026-03-06 10:00");
        await desk.PostOk(i2, "reject", new { reason = "Informațiile privesc un secret comercial.", legalBasis = "Legea 544/2001 art. 12 alin. (1) lit. c)", signedBy = "Secretarul general", sentVia = "post", refusalGround = "exempt" });

        desk.SetLocalTime("2026-03-10 10:00");
        await desk.PostOk(s2, "answer", Answer("post"));
        await desk.PostOk(p5, "forward", new { forwardedTo = "Casa Județeană de Pensii", noticeVia = "email" });

        desk.SetLocalTime("2026-03-20 10:00");
        await desk.PostOk(p1, "extend", new { days = 10, reason = "Măsurători pe teren", noticeVia = "email" });

        desk.SetLocalTime("2026-04-08 12:00");
        await desk.PostOk(p1, "answer", Answer("email"));
        return new Cases(p1, p2, p3, p4, p5, i1, i2, s1, s2);
    }

    private static object Answer(string via) => new { text = "Răspuns.", legalBasis = "OG 27/2002 art. 8", signedBy = "Primar", sentVia = via };

    public static async Task<JsonElement> GetJson(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonSerializer.Deserialize<JsonElement>(text, Json.Options);
    }

    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        return Path.Combine(dir.FullName, relative);
    }
}
