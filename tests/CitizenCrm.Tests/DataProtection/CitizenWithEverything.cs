using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Map.PublicReports;
using CitizenCrm.Tests.Phone;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DataProtection;

/// <summary>
/// A citizen with a record in every table that can hold something of theirs, made the way staff and citizens make it:
/// through the API, the public web form and map page, the phone robot (signed Twilio webhooks), the mailbox intake and
/// the revenue import. Every case ends answered and closed and every debt is paid, so the law lets the data be erased.
/// The identity is distinctive (<see cref="Seeded.Traces"/>): a search for it finds this citizen's data and nobody else's.
/// A second citizen, <see cref="Seeded.Neighbour"/>, has the same kinds of records, so a test can see that only the first
/// one's data went.
/// </summary>
public static class CitizenWithEverything
{
    /// <summary>Tuesday 10 March 2026, 10:00 in Bucharest: a working day, desk open.</summary>
    public static readonly DateTimeOffset TuesdayMorning = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    public sealed record Person(Guid Id, string Cnp, string FirstName, string LastName, string Phone, string Email, string Address)
    {
        /// <summary>
        /// Every form in which this person's identity could be written down: names (with and without diacritics), the CNP,
        /// the phone in E.164 and as dialled at home, the e-mail, the street of the address.
        /// </summary>
        public IReadOnlyList<string> Traces => [FirstName, LastName, NameFolding.Fold(LastName), Cnp, Phone, "0" + Phone[3..], Email, Address];
    }

    public sealed record Seeded(
        CrmTestApp App,
        FakeTimeProvider Clock,
        Person Citizen,
        Person Neighbour,
        IReadOnlyList<Guid> CaseIds,
        IReadOnlyList<string> RegistrationNumbers,
        IReadOnlyList<string> CallSids,
        string DocumentSha256,
        IReadOnlyList<string> PhotoSha256) : IDisposable
    {
        public void Dispose() => App.Dispose();
    }

    /// <summary>Starts a server (Twilio configured, the clock on <see cref="TuesdayMorning"/>) and seeds both people.</summary>
    /// <param name="testServices">Services added to the server's (a capturing log provider, to read its logs from the start).</param>
    public static async Task<Seeded> StartAsync(Dictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? testServices = null)
    {
        var clock = new FakeTimeProvider(TuesdayMorning);
        var all = TwilioPhone.Settings(new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "100000" });
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var app = new CrmTestApp(settings: all, clock: clock, testServices: testServices);
        try
        {
            var citizen = new Person(Guid.Empty, TestData.NewCnp(sex: 2, birth: new DateOnly(1979, 11, 23)), "Zenovia", "Cârlănaru",
                "+40745123987", "zenovia.carlanaru@example.ro", "Strada Fluturilor 17");
            var neighbour = new Person(Guid.Empty, TestData.NewCnp(sex: 1, birth: new DateOnly(1981, 6, 2)), "Octavian", "Vâlceanu",
                "+40746555321", "octavian.valceanu@example.ro", "Strada Lăcrămioarelor 4");
            var seeder = new Seeder(app, clock);
            var (c, cases, numbers, calls, doc, photos) = await seeder.SeedAsync(citizen, "CA" + Guid.NewGuid().ToString("N"));
            var (n, _, _, _, _, _) = await seeder.SeedAsync(neighbour, "CA" + Guid.NewGuid().ToString("N"));
            return new Seeded(app, clock, c, n, cases, numbers, calls, doc, photos);
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    private sealed class Seeder(CrmTestApp app, FakeTimeProvider clock)
    {
        private HttpClient _clerk = null!, _dispatcher = null!, _admin = null!, _supervisor = null!, _volunteer = null!;
        private int _serial;

        private async Task SignInAsync()
        {
            if (_clerk is not null) return;
            _clerk = await app.ClientFor(StaffRole.Clerk);
            _dispatcher = await app.ClientFor(StaffRole.Dispatcher);
            _admin = await app.ClientFor(StaffRole.Admin);
            _supervisor = await app.ClientFor(StaffRole.Supervisor);
            var created = await _admin.PostAsJsonAsync("/api/staff-users", new { username = "radu.voluntar", displayName = "Radu Ionescu", role = "volunteer", password = "parola-radu-1" });
            await Ok(created, HttpStatusCode.Created);
            _volunteer = app.WithToken(await app.SignIn("radu.voluntar", "parola-radu-1"));
        }

        public async Task<(Person, List<Guid>, List<string>, List<string>, string, List<string>)> SeedAsync(Person p, string callSid)
        {
            await SignInAsync();
            var serial = ++_serial;
            var cases = new List<Guid>();
            var numbers = new List<string>();

            // The register of citizens: identity, contacts, address, a phone PIN.
            var registered = await Json(await _clerk.PostAsJsonAsync("/api/citizens", new
            {
                nationalId = p.Cnp, firstName = p.FirstName, lastName = p.LastName, address = $"{p.Address}, Alba Iulia",
                phones = new[] { p.Phone }, emails = new[] { p.Email },
            }), HttpStatusCode.Created);
            p = p with { Id = registered.GetProperty("id").GetGuid() };
            var pin = (await Json(await _clerk.PostAsync($"/api/citizens/{p.Id}/phone-pin", null))).GetProperty("pin").GetString()!;
            await Ok(await _clerk.PostAsJsonAsync($"/api/citizens/{p.Id}/interactions", new
            {
                type = "desk_visit", channel = "desk", summary = $"{p.FirstName} {p.LastName} asked at the desk about the tax on {p.Address}",
                notes = $"Call back on {p.Phone} or write to {p.Email}.",
            }), HttpStatusCode.Created);
            await Ok(await _clerk.GetAsync($"/api/citizens/{p.Id}")); // a staff read: one audit row

            // A petition at the desk, with a scanned letter and a signed answer.
            var petition = await Case(await _clerk.PostAsJsonAsync("/api/cases", new
            {
                kind = "petition", channel = "desk", citizenId = p.Id,
                subject = $"Cerere {p.LastName}: gard căzut la {p.Address}", description = $"Subsemnata {p.FirstName} {p.LastName}, CNP {p.Cnp}, tel. {p.Phone}.",
            }));
            using (var letter = new ByteArrayContent(Encoding.UTF8.GetBytes($"%PDF-1.7\n% Scrisoarea lui {p.FirstName} {p.LastName}, {p.Email}\n%%EOF\n")))
            {
                letter.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                await Ok(await _clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName={Uri.EscapeDataString($"scrisoare-{NameFolding.Fold(p.LastName)}.pdf")}", letter), HttpStatusCode.Created);
            }
            string documentSha;
            using (var answerPdf = new ByteArrayContent(Encoding.UTF8.GetBytes($"%PDF-1.7\n% Raspuns catre {p.FirstName} {p.LastName}, {p.Address}\n%%EOF\n")))
            {
                answerPdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                documentSha = (await Json(await _clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName=raspuns.pdf", answerPdf), HttpStatusCode.Created))
                    .GetProperty("sha256").GetString()!;
            }
            await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/assign", new { department = "Direcția Tehnică" }));
            await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/answer", new
            {
                text = $"Stimată doamnă {p.LastName}, gardul de la {p.Address} a fost reparat.", legalBasis = "OG 27/2002 art. 8",
                signedBy = "Primar", sentVia = "email", documentSha256 = documentSha,
            }));
            await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/close", new { note = $"{p.FirstName} a confirmat." }));
            cases.Add(petition.Id);
            numbers.Add(petition.RegistrationNumber);

            // A request a volunteer brought from the citizen's home (on behalf of).
            cases.Add(await Registered(await _volunteer.PostAsJsonAsync("/api/intake/field", new
            {
                kind = "service_request", service = "pothole", subject = $"Groapă în fața casei {p.LastName}",
                description = $"{p.FirstName} {p.LastName} nu se poate deplasa; sunați la {p.Phone}.", citizenId = p.Id,
            })));

            // The public web form and the map page, matched to the citizen by e-mail.
            using (var web = new MultipartFormDataContent())
            {
                foreach (var (k, v) in new Dictionary<string, string>
                {
                    ["kind"] = "petition", ["name"] = $"{p.FirstName} {p.LastName}", ["email"] = p.Email, ["phone"] = p.Phone,
                    ["subject"] = $"Iluminat stradal pe {p.Address}", ["text"] = $"Sunt {p.FirstName} {p.LastName}, locuiesc la {p.Address}.",
                })
                    web.Add(new StringContent(v), k);
                cases.Add(CaseByNumber((await Json(await app.CreateClient().PostAsync("/api/public/requests", web), HttpStatusCode.Created))
                    .GetProperty("registrationNumber").GetString()!));
            }
            var photos = new List<string>();
            using (var map = new MultipartFormDataContent())
            {
                foreach (var (k, v) in new Dictionary<string, string>
                {
                    ["service_code"] = "pothole", ["lat"] = "46.0686", ["long"] = "23.5702", ["attribute[size]"] = "large", ["attribute[depth_cm]"] = "12",
                    ["address_string"] = $"{p.Address}, Alba Iulia", ["description"] = $"Groapă la poarta lui {p.FirstName} {p.LastName}.",
                    ["name"] = $"{p.FirstName} {p.LastName}", ["email"] = p.Email, ["phone"] = p.Phone, ["website"] = "",
                    ["device_id"] = $"device-{NameFolding.Fold(p.LastName)}", ["account_id"] = p.Email,
                })
                    map.Add(new StringContent(v), k);
                var photo = new ByteArrayContent(MapPageReportTests.SmallJpeg((byte)(0x30 + serial)));
                photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                map.Add(photo, "photo", $"{NameFolding.Fold(p.LastName)}.jpg");
                var report = await Json(await app.CreateClient().PostAsync("/api/public/reports", map), HttpStatusCode.Created);
                var caseId = CaseByNumber(report.GetProperty("registrationNumber").GetString()!);
                cases.Add(caseId);
                using var db = app.OpenDatabase();
                photos.AddRange(Dapper.SqlMapper.Query<string>(db, "SELECT sha256 FROM case_photos WHERE case_id = @caseId UNION SELECT thumbnail_sha256 FROM case_photos WHERE case_id = @caseId", new { caseId }));
            }

            // An e-mail to the registry mailbox from the citizen's address, with an attachment.
            var receipt = await app.Send(new ReceiveEmail(new IncomingEmail
            {
                MessageKey = $"{Guid.NewGuid():N}@mail.example.ro", FromAddress = p.Email, FromName = $"{p.FirstName} {p.LastName}",
                Subject = $"Sesizare de la {p.FirstName} {p.LastName}", Text = $"Numărul meu de telefon este {p.Phone}. Adresa: {p.Address}.",
                SentAt = clock.GetUtcNow(),
            }));
            cases.Add(receipt.CaseId!.Value);

            // A call a dispatcher logged for a caller the robot never identified, the number typed as said on the phone:
            // a contact, not the citizen's record, until someone links it. It is theirs all the same (export and erasure).
            cases.Add(await Registered(await _dispatcher.PostAsJsonAsync("/api/intake/phone", new
            {
                kind = "petition", subject = $"Zgomot lângă {p.Address}", writtenAndConfirmed = true,
                contact = new { name = $"{p.FirstName} {p.LastName[0]}.", details = "0" + p.Phone[3..] },
            })));

            // Every case answered and closed (the petition already is), so none is still running.
            foreach (var id in cases.Skip(1))
            {
                var c = await Json(await _clerk.GetAsync($"/api/cases/{id}"));
                numbers.Add(c.GetProperty("registrationNumber").GetString()!);
                if (c.GetProperty("status").GetString() == "registered")
                    await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{id}/assign", new { department = "Direcția Tehnică" }));
                await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{id}/answer", new
                {
                    text = $"Răspuns pentru {p.FirstName} {p.LastName}: s-a rezolvat.", legalBasis = "OG 27/2002 art. 8", signedBy = "Primar", sentVia = "email",
                }));
                await Ok(await _clerk.PostAsJsonAsync($"/api/cases/{id}/close", new { }));
            }

            // The revenue ledger: a tax and a fine, both paid.
            var csv = "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on\n" +
                $"tax,T-{serial},{p.Cnp},2026-03-01,building,2026,{p.Address},420.00,420.00,,,,,,,,\n" +
                $"fine,F-{serial},{p.Cnp},2026-03-01,,,,,300,,PV-{serial}7,2026-02-04,HCL 12/2020,,300,100,2026-02-20\n";
            await Ok(await _admin.PostAsync("/api/revenue/imports", new StringContent(csv, Encoding.UTF8, "text/csv")));

            // The phone: three wrong PINs lock phone access, the desk unlocks it; then a verified call asks for an
            // operator, leaves the queue and asks to be called back; a dispatcher calls back; the call ends.
            var locked = new TwilioPhone(app.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), p.Phone);
            await locked.Dial();
            await locked.Press("1");
            for (var i = 0; i < 3; i++)
            {
                await locked.Press(p.Cnp + "#");
                await locked.Press("0000");
            }
            await locked.Hangup(40);
            await Ok(await _clerk.PostAsync($"/api/citizens/{p.Id}/phone-access/unlock", null));

            var call = new TwilioPhone(app.CreateClient(), callSid, p.Phone);
            await call.Dial();
            await call.Press("1");
            await call.Press(p.Cnp + "#");
            await call.Press(pin);
            var queued = await call.Press("0");
            await call.Post(queued.NextUrl, new Dictionary<string, string>(call.BaseForm()) { ["QueueResult"] = "leave", ["QueueTime"] = "121" });
            await call.Press("2");
            await call.Hangup(130);
            var queue = await Json(await _dispatcher.GetAsync("/api/phone/queue"));
            var request = queue.GetProperty("requests").EnumerateArray().Single(r => r.TryGetProperty("identity", out var who)
                && who.ValueKind == JsonValueKind.Object && who.GetProperty("citizenId").GetGuid() == p.Id);
            await Ok(await _dispatcher.PostAsJsonAsync($"/api/phone/requests/{request.GetProperty("id").GetGuid()}/done",
                new { note = $"Am sunat-o pe {p.FirstName} la {p.Phone}." }), HttpStatusCode.NoContent);

            // A supervisor reads the record too (a second audit row, another role).
            await Ok(await _supervisor.GetAsync($"/api/citizens/{p.Id}/timeline"));
            return (p, cases, numbers, [locked.CallSid, callSid], documentSha, photos);
        }

        private Guid CaseByNumber(string registrationNumber)
        {
            using var db = app.OpenDatabase();
            return Dapper.SqlMapper.QuerySingle<Guid>(db, "SELECT id FROM cases WHERE CAST(number AS TEXT) || '/' || CAST(year AS TEXT) = @registrationNumber", new { registrationNumber });
        }

        private static async Task<Guid> Registered(HttpResponseMessage response) =>
            (await Json(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        private static async Task<CaseDetails> Case(HttpResponseMessage response)
        {
            await Ok(response, HttpStatusCode.Created);
            return (await response.Content.ReadFromJsonAsync<CaseDetails>(CitizenCrm.Core.Common.Json.Options))!;
        }

        private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        private static async Task Ok(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
    }
}
