using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Api;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;
using Dapper;

namespace CitizenCrm.Tests.DataProtection.Masking;

/// <summary>
/// GDPR art. 5(1)(c) and 25 (data minimisation by default): no answer of the staff API carries a full CNP or phone number
/// unless the caller asks for it with ?reveal=true, and a revealed read leaves its own audit row ("GetCitizen:revealed").
/// The reads are enumerated from /openapi/v1.json, so a new endpoint is searched without anyone remembering to add it.
/// </summary>
public sealed partial class MaskedReadTests : PhoneCallTest
{
    private const string CallerPhone = "+40745111222";
    private const string ContactPhone = "+40745333444";

    /// <summary>The digits that identify the numbers, whatever the formatting (E.164, national, grouped with spaces).</summary>
    private static readonly string[] PhoneDigits = ["745111222", "745333444"];

    private sealed record Seeded(Caller Caller, CaseDetails Petition, CaseDetails ContactCase, CaseDocument Document, string WaitingCall, string CallbackCall);

    /// <summary>
    /// A citizen with a distinctive CNP and phone: waiting for an operator on one call, asking for a callback on another,
    /// with a petition (its SMS acknowledgement waits in the outbox), a document, a map report, and a contact party's case.
    /// </summary>
    private async Task<Seeded> SeedAsync()
    {
        var caller = await CitizenWithPin("Mihai", phone: CallerPhone);

        var callback = NewCall(CallerPhone);
        await Identify(callback, caller);
        var queued = await callback.Press("0");
        await callback.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/wait?lang=ro", new Dictionary<string, string>(callback.BaseForm()) { ["QueueTime"] = "121" });
        await callback.Post(queued.NextUrl, new Dictionary<string, string>(callback.BaseForm()) { ["QueueResult"] = "leave", ["QueueTime"] = "121" });
        Assert.That((await callback.Press("2")).Text, Does.Contain("Un operator vă va suna înapoi"));

        var waiting = NewCall(CallerPhone);
        await Identify(waiting, caller);
        await waiting.Press("0");

        var petition = await (await Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă în asfalt", citizenId = caller.Id })).ReadJson<CaseDetails>();
        var upload = new ByteArrayContent("%PDF-1.4\n%test\n"u8.ToArray());
        upload.Headers.ContentType = new("application/pdf");
        var document = await (await Clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName=cerere.pdf", upload)).ReadJson<CaseDocument>();
        var contactCase = await (await Clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "desk", subject = "Iluminat stradal",
            contact = new { name = "Vasile Contact", details = "tel. 0745 333 444, Str. Florilor 3" },
        })).ReadJson<CaseDetails>();

        await App.Send(new CitizenCrm.Core.Map.ReportIncident("pothole", 46.07, 23.57, null, null, null,
            new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small"] }, null, null, null, CallerPhone, null, null, null,
            CitizenCrm.Core.Map.ReportSources.MapPage), "map-page");

        Assert.That(Scalar("SELECT COUNT(*) FROM notifications WHERE recipient = @CallerPhone", new { CallerPhone }), Is.GreaterThan(0), "the petition's SMS waits in the outbox");
        Assert.That(Scalar("SELECT COUNT(*) FROM phone_requests WHERE caller_number = @CallerPhone", new { CallerPhone }), Is.EqualTo(1), "the callback request");
        return new Seeded(caller, petition, contactCase, document, waiting.CallSid, callback.CallSid);
    }

    [Test]
    public async Task No_answer_of_the_staff_API_carries_a_full_CNP_or_phone_number_unless_revealed()
    {
        var seeded = await SeedAsync();
        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        var leaks = new List<string>();
        var read = new List<string>();
        foreach (var (operation, path) in await ReadsAsync(seeded))
        {
            var response = operation == "POST /api/citizens/search"
                ? await supervisor.PostAsJsonAsync(path, new { phone = "0745 111 222" })
                : await supervisor.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode == 200) read.Add(operation);
            if (FullNumbersIn(body, seeded.Caller.Cnp) is { Count: > 0 } found) leaks.Add($"{operation}: {string.Join(", ", found)}");
        }
        Assert.That(read, Is.SupersetOf(new[]
        {
            "POST /api/citizens/search", "GET /api/citizens/{id}", "GET /api/citizens/{id}/timeline", "GET /api/cases/{id}",
            "GET /api/cases/{id}/receipt", "GET /api/cases/{id}/receipt.html", "GET /api/phone/queue", "GET /api/dispatch/queue",
            "GET /api/map/incidents", "GET /api/notifications", "GET /api/timeline", "GET /api/timeline/calls/{correlation}",
        }), "the reads that show the seeded citizen must have answered");
        Assert.That(leaks, Is.Empty, "answers that carry a full CNP or phone number without ?reveal=true");
        Assert.That(Scalar("SELECT COUNT(*) FROM audit_log WHERE query LIKE '%:revealed'"), Is.Zero, "nothing was revealed");

        // The same reads with ?reveal=true: the search above finds the numbers where they are (it is not blind), and each
        // revealed read of the citizen left its own row.
        var shown = new List<string>();
        foreach (var (operation, path) in await ReadsAsync(seeded))
        {
            var revealed = path + (path.Contains('?') ? "&" : "?") + "reveal=true";
            var response = operation == "POST /api/citizens/search"
                ? await supervisor.PostAsJsonAsync(revealed, new { phone = "0745 111 222" })
                : await supervisor.GetAsync(revealed);
            if (FullNumbersIn(await response.Content.ReadAsStringAsync(), seeded.Caller.Cnp) is { Count: > 0 } found)
                shown.Add($"{operation}: {string.Join(", ", found)}");
        }
        Assert.That(shown, Is.EquivalentTo(new[]
        {
            "GET /api/citizens/{id}: the CNP, phone …745111222",
            "GET /api/cases/{id}: phone …745333444",
            "GET /api/phone/queue: phone …745111222",
        }));
        using var db = App.OpenDatabase();
        Assert.That(db.Query<string>("SELECT query FROM audit_log WHERE citizen_id = @Id AND query LIKE '%:revealed' ORDER BY id", new { seeded.Caller.Id }),
            Is.EqualTo(new[] { "GetCitizen:revealed", "GetPhoneQueue:revealed" }));
    }

    [Test]
    public async Task The_commands_answers_are_masked_too()
    {
        var cnp = TestData.NewCnp(sex: 2);
        var registered = await Clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Elena", lastName = "Stan", phones = new[] { "0745 111 222" } });
        var body = await registered.Content.ReadAsStringAsync();
        Assert.That((int)registered.StatusCode, Is.EqualTo(201), body);
        Assert.That(FullNumbersIn(body, cnp), Is.Empty, body);
        using var citizen = JsonDocument.Parse(body);
        Assert.That(citizen.RootElement.GetProperty("nationalId").GetString(), Is.EqualTo("*********" + cnp[^4..]));
        Assert.That(citizen.RootElement.GetProperty("phones")[0].GetString(), Is.EqualTo("+407******22"));
        var id = citizen.RootElement.GetProperty("id").GetGuid();

        // A retry with the same Idempotency-Key replays the stored answer: masked like the first.
        var retry = new HttpRequestMessage(HttpMethod.Post, "/api/citizens")
        {
            Content = JsonContent.Create(new { nationalId = TestData.NewCnp(), firstName = "Radu", lastName = "Stan", phones = new[] { "0745 333 444" } }),
        };
        retry.Headers.Add("Idempotency-Key", "masking-retry-1");
        var first = await (await Clerk.SendAsync(retry)).Content.ReadAsStringAsync();
        var again = new HttpRequestMessage(HttpMethod.Post, "/api/citizens") { Content = retry.Content };
        again.Headers.Add("Idempotency-Key", "masking-retry-1");
        var replayed = await Clerk.SendAsync(again);
        Assert.That(replayed.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(await replayed.Content.ReadAsStringAsync(), Is.EqualTo(first).And.Contain("\"+407******44\""));

        var updated = await Clerk.PutAsJsonAsync($"/api/citizens/{id}", new { firstName = "Elena", lastName = "Stan", phones = new[] { "0745 111 222", "0745 333 444" }, version = 1 });
        body = await updated.Content.ReadAsStringAsync();
        Assert.That((int)updated.StatusCode, Is.EqualTo(200), body);
        Assert.That(FullNumbersIn(body, cnp), Is.Empty, body);

        var contact = await Clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "desk", subject = "Iluminat stradal",
            contact = new { name = "Vasile Contact", details = "tel. 0745 333 444, Str. Florilor 3" },
        });
        body = await contact.Content.ReadAsStringAsync();
        Assert.That((int)contact.StatusCode, Is.EqualTo(201), body);
        Assert.That(FullNumbersIn(body, cnp), Is.Empty, body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("party").GetProperty("contactDetails").GetString(),
            Is.EqualTo("tel. +407******44, Str. Florilor 3"));
    }

    [Test]
    public async Task A_revealed_read_shows_the_numbers_and_leaves_its_own_audit_row()
    {
        var seeded = await SeedAsync();
        var caller = seeded.Caller;
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var masked = await (await dispatcher.GetAsync($"/api/citizens/{caller.Id}")).Content.ReadAsStringAsync();
        Assert.That(masked, Does.Not.Contain(caller.Cnp).And.Not.Contain(CallerPhone));
        var revealed = await (await dispatcher.GetAsync($"/api/citizens/{caller.Id}?reveal=true")).Content.ReadAsStringAsync();
        Assert.That(revealed, Does.Contain($"\"nationalId\":\"{caller.Cnp}\"").And.Contain($"\"phones\":[\"{CallerPhone}\"]"));

        // The dispatcher calling back needs the whole number: that read is the revealed one.
        var queue = JsonDocument.Parse(await (await dispatcher.GetAsync("/api/phone/queue?reveal=true")).Content.ReadAsStringAsync()).RootElement;
        Assert.That(queue.GetProperty("requests").EnumerateArray().Single().GetProperty("callbackNumber").GetString(), Is.EqualTo(CallerPhone));
        var plainQueue = JsonDocument.Parse(await (await dispatcher.GetAsync("/api/phone/queue")).Content.ReadAsStringAsync()).RootElement;
        Assert.That(plainQueue.GetProperty("requests").EnumerateArray().Single().GetProperty("callbackNumber").GetString(), Is.EqualTo("+407******22"));

        var contactCase = JsonDocument.Parse(await (await dispatcher.GetAsync($"/api/cases/{seeded.ContactCase.Id}?reveal=true")).Content.ReadAsStringAsync()).RootElement;
        Assert.That(contactCase.GetProperty("party").GetProperty("contactDetails").GetString(), Is.EqualTo("tel. 0745 333 444, Str. Florilor 3"));

        using var db = App.OpenDatabase();
        var rows = db.Query<(string Actor, string Query, string Endpoint)>(
            "SELECT actor AS Actor, query AS Query, endpoint AS Endpoint FROM audit_log WHERE citizen_id = @Id AND actor_role = 'dispatcher' ORDER BY id",
            new { Id = caller.Id }).ToList();
        Assert.That(rows.Select(r => r.Query), Is.EqualTo(new[]
        {
            "GetCitizen",
            "GetCitizen", "GetCitizen:revealed",
            "GetPhoneQueue", "GetPhoneQueue:revealed",
            "GetPhoneQueue",
        }));
        Assert.That(rows.Where(r => r.Query.EndsWith(":revealed", StringComparison.Ordinal)).Select(r => r.Endpoint),
            Is.EqualTo(new[] { "GET /api/citizens/{id:guid}", "GET /api/phone/queue" }));
    }

    [Test]
    public async Task Reveal_takes_true_or_false_and_nothing_else()
    {
        var citizen = await Clerk.RegisterCitizen(phone: CallerPhone);
        var problem = await (await Clerk.GetAsync($"/api/citizens/{citizen.Id}?reveal=yes")).AssertProblem(System.Net.HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "reveal" }));
        var plain = await Clerk.GetAsync($"/api/citizens/{citizen.Id}?reveal=false");
        Assert.That(await plain.Content.ReadAsStringAsync(), Does.Contain("+407******22"));
    }

    [Test]
    public async Task The_api_document_offers_reveal_on_every_read_that_masks()
    {
        var document = await ApiDocument.ReadAsync(App);
        string[] masking = ["/api/citizens/{id}", "/api/phone/queue", "/api/cases/{id}"];
        foreach (var path in masking)
        {
            var parameters = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray();
            var reveal = parameters.SingleOrDefault(p => p.GetProperty("name").GetString() == "reveal");
            Assert.That(reveal.ValueKind, Is.EqualTo(JsonValueKind.Object), $"{path} documents ?reveal");
            Assert.That(reveal.GetProperty("in").GetString(), Is.EqualTo("query"));
            Assert.That(reveal.GetProperty("description").GetString(), Does.Contain("audit"));
        }
    }

    /// <summary>Every GET of the document (the SSE stream and Twilio's signed webhooks aside) and the search POST, with the seeded ids.</summary>
    private async Task<List<(string Operation, string Path)>> ReadsAsync(Seeded s)
    {
        var operations = (await ApiDocument.OperationsAsync(App))
            .Where(o => (o.StartsWith("GET ", StringComparison.Ordinal) || o == "POST /api/citizens/search")
                        && !o.StartsWith("GET /twilio/", StringComparison.Ordinal) && o != "GET /api/dispatch/stream")
            .ToList();
        var values = new Dictionary<string, string>
        {
            ["caseId"] = s.Petition.Id.ToString(), ["correlation"] = s.CallbackCall, ["sha256"] = s.Document.Sha256,
            ["number"] = s.Petition.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), ["year"] = s.Petition.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["format"] = "json", ["code"] = "x", ["kind"] = "registered", ["language"] = "ro", ["token"] = "x",
        };
        var reads = new List<(string, string)>();
        foreach (var operation in operations)
        {
            var template = operation[(operation.IndexOf(' ') + 1)..];
            var ids = template.StartsWith("/api/cases/", StringComparison.Ordinal) ? new[] { s.Petition.Id, s.ContactCase.Id } : [s.Caller.Id];
            foreach (var id in ids)
            {
                values["id"] = id.ToString();
                var path = ApiDocument.Fill(template, values);
                if (operation == "GET /api/cases") path += "?dueWithinDays=60";
                reads.Add((operation, path));
            }
        }
        reads.Add(("GET /api/timeline/calls/{correlation}", $"/api/timeline/calls/{s.WaitingCall}"));
        return reads;
    }

    /// <summary>The full CNP or one of the seeded phone numbers, found in a body whatever separators group the digits.</summary>
    private static List<string> FullNumbersIn(string body, string cnp)
    {
        var digits = Separators().Replace(body, "");
        var found = new List<string>();
        if (digits.Contains(cnp, StringComparison.Ordinal)) found.Add("the CNP");
        found.AddRange(PhoneDigits.Where(p => digits.Contains(p, StringComparison.Ordinal)).Select(p => "phone …" + p));
        return found;
    }

    [GeneratedRegex(@"(?<=\d)[\s.\-()/]+(?=\d)")]
    private static partial Regex Separators();
}
