using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CitizenCrm.Core.Map;
using CitizenCrm.Core.Map.PublicReports;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;

namespace CitizenCrm.Tests.Map.PublicReports;

/// <summary>
/// The map page's two endpoints, as the page calls them: a report sent as multipart/form-data (the web intake's rules,
/// then ReportIncident from 'map_page'), and a report read back by anyone who has its link.
/// A fresh server per test on Tuesday 10 March 2026, 10:00 in Alba Iulia (08:00 UTC).
/// </summary>
public sealed class MapPageReportTests
{
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    private CrmTestApp _app = null!;
    private HttpClient _public = null!;

    [SetUp]
    public void StartServer()
    {
        _app = new CrmTestApp(clock: new FakeTimeProvider(TuesdayMorning));
        _public = _app.CreateClient();
    }

    [TearDown]
    public void StopServer()
    {
        _public.Dispose();
        _app.Dispose();
    }

    /// <summary>A pothole by the Citadel's gate (inside the city), as the page sends it, with the reporter's details.</summary>
    private static Dictionary<string, string> Pothole() => new()
    {
        ["service_code"] = "pothole", ["lat"] = "46.0686", ["long"] = "23.5702",
        ["attribute[size]"] = "large", ["attribute[depth_cm]"] = "12",
        ["address_string"] = "Str. Mihai Viteazul 12", ["description"] = "Groapă adâncă pe banda dinspre cetate.",
        ["name"] = "Maria Ionescu", ["email"] = "maria.ionescu@example.ro", ["phone"] = "0722 123 456", ["website"] = "",
    };

    private static MultipartFormDataContent Form(IDictionary<string, string> fields, params (string Name, byte[] Bytes, string Type)[] photos)
    {
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        foreach (var (name, bytes, type) in photos)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            form.Add(file, "photo", name);
        }
        return form;
    }

    private Task<HttpResponseMessage> Send(IDictionary<string, string> fields, params (string, byte[], string)[] photos) =>
        _public.PostAsync("/api/public/reports", Form(fields, photos));

    private long Count(string table)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Test]
    public async Task A_citizen_reports_a_pothole_on_the_map_page_and_anyone_with_the_link_reads_it_back()
    {
        var response = await Send(Pothole());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/api/public/reports/2026-1"));
        var receipt = await response.ReadJson<PublicReportReceipt>();
        Assert.That(receipt, Is.EqualTo(new PublicReportReceipt("2026-1", "1/2026", new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 20),
            "/map/r/2026-1", 0, 0, true)), "pothole: 10 days in the catalogue");

        using (var db = _app.OpenDatabase())
        {
            var row = db.QuerySingle<(string Source, string Attributes, string Channel)>(
                "SELECT r.source, r.attributes, c.channel FROM map_reports r JOIN cases c ON c.id = r.case_id");
            Assert.That(row, Is.EqualTo(("map_page", """{"size":["large"],"depth_cm":["12"]}""", "map")));
        }

        var en = await (await _public.GetAsync("/api/public/reports/2026-1?lang=en")).ReadJson<PublicReport>();
        Assert.That((en.Id, en.RegistrationNumber, en.ServiceCode, en.ServiceName, en.Status, en.StatusText),
            Is.EqualTo(("2026-1", "1/2026", "pothole", "Pothole in the road", "open", "Registered, waiting to be assigned.")));
        Assert.That((en.RegisteredOn, en.DueOn, en.AddressString, en.Lat, en.Long, en.Url),
            Is.EqualTo((new DateOnly(2026, 3, 10), (DateOnly?)new DateOnly(2026, 3, 20), "Str. Mihai Viteazul 12", (double?)46.0686, (double?)23.5702, "/map/r/2026-1")));
        Assert.That(en.Updates, Is.EqualTo(new[] { new PublicReportUpdate(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(2)), "open", "Report registered.") }));
        Assert.That((en.Photos.Count, en.PhotosAwaitingReview), Is.EqualTo((0, 0)));

        var hu = await (await _public.GetAsync("/api/public/reports/2026-1?lang=hu")).ReadJson<PublicReport>();
        Assert.That((hu.ServiceName, hu.StatusText, hu.Updates.Single().Description),
            Is.EqualTo(("Kátyú az úttesten", "Iktatva, kiosztásra vár.", "Bejelentés iktatva.")));
        var ro = await (await _public.GetAsync("/api/public/reports/2026-1")).ReadJson<PublicReport>();
        Assert.That(ro.ServiceName, Is.EqualTo("Groapă în carosabil"), "Romanian without ?lang");
    }

    [Test]
    public async Task Neither_the_receipt_nor_the_public_report_shows_who_reported_it()
    {
        var receipt = await (await Send(Pothole())).Content.ReadAsStringAsync();
        var report = await (await _public.GetAsync("/api/public/reports/2026-1")).Content.ReadAsStringAsync();

        foreach (var (name, body) in new[] { ("receipt", receipt), ("report", report) })
            foreach (var personal in new[] { "Maria", "Ionescu", "maria.ionescu", "example.ro", "0722", "722123456", "123 456" })
                Assert.That(body, Does.Not.Contain(personal), $"{name} shows '{personal}'");
        var fields = JsonDocument.Parse(report).RootElement.EnumerateObject().Select(p => p.Name);
        Assert.That(fields, Is.EquivalentTo(new[]
        {
            "id", "registrationNumber", "serviceCode", "serviceName", "status", "statusText", "registeredOn", "dueOn", "addressString",
            "lat", "long", "updates", "photos", "photosAwaitingReview", "url",
        }), "a new field in the public report must be checked for personal data before it is added here");
        Assert.That(Count("cases WHERE party_kind = 'contact' AND contact_name = 'Maria Ionescu'"), Is.EqualTo(1), "the city hall keeps the name");
    }

    [Test]
    public async Task A_report_with_mistakes_is_refused_with_an_error_beside_each_field_and_nothing_is_registered()
    {
        var fields = Pothole();
        fields.Remove("service_code");
        fields["lat"] = "46,0686"; // a decimal comma, as a Romanian keyboard writes it
        fields["email"] = "maria@";

        var problem = await (await Send(fields)).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "service_code", "lat", "email" }));
        Assert.That(problem.GetProperty("errors").GetProperty("lat")[0].GetString(), Does.Contain("written with a dot, like 46.0686"));
        Assert.That(problem.GetProperty("errors").GetProperty("email")[0].GetString(), Is.EqualTo("'maria@' is not an e-mail address."));
        Assert.That(Count("cases") + Count("map_reports") + Count("timeline WHERE case_id IS NOT NULL"), Is.EqualTo(0));
    }

    [Test]
    public async Task An_unanswered_required_question_and_a_place_outside_the_city_are_each_refused_on_their_field()
    {
        var fields = Pothole();
        fields.Remove("attribute[size]");
        var unanswered = await (await Send(fields)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(unanswered.ErrorFields(), Is.EqualTo(new[] { "attribute[size]" }));

        fields = Pothole();
        fields["lat"] = "46.7712"; // Cluj-Napoca
        fields["long"] = "23.6236";
        var outside = await (await Send(fields)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(outside.ErrorFields(), Is.EqualTo(new[] { "lat" }));
        Assert.That(outside.GetProperty("errors").GetProperty("lat")[0].GetString(), Does.Contain("is outside"));
        Assert.That(Count("cases"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_bot_that_fills_the_hidden_website_field_is_answered_as_if_accepted_and_nothing_is_registered()
    {
        var fields = Pothole();
        fields["website"] = "http://cheap-pills.example";

        var response = await Send(fields);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the bot must not learn it was caught");
        var receipt = await response.ReadJson<PublicReportReceipt>();
        Assert.That(receipt.Id, Does.Match("^2026-[0-9]+$"));
        Assert.That((receipt.RegisteredOn, receipt.DueOn), Is.EqualTo((new DateOnly(2026, 3, 10), (DateOnly?)new DateOnly(2026, 4, 9))));
        Assert.That(receipt.Url, Is.EqualTo($"/map/r/{receipt.Id}"));
        foreach (var table in new[] { "cases", "map_reports", "case_locations", "timeline WHERE case_id IS NOT NULL", "registration_counters" })
            Assert.That(Count(table), Is.EqualTo(0), table);
        await (await _public.GetAsync($"/api/public/reports/{receipt.Id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_map_page_and_the_web_form_share_one_budget_of_five_sends_per_address()
    {
        // Three requests through the web form, then the map page: the fourth and fifth sends pass, the sixth is refused.
        for (var i = 0; i < 3; i++)
        {
            var web = await _public.PostAsync("/api/public/requests", Form(new Dictionary<string, string>
            {
                ["kind"] = "petition", ["name"] = "Ion Pop", ["email"] = "ion.pop@example.ro", ["subject"] = $"Cererea {i + 1}",
            }));
            Assert.That(web.StatusCode, Is.EqualTo(HttpStatusCode.Created), await web.Content.ReadAsStringAsync());
        }
        Assert.That((await Send(Pothole())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Send(Pothole())).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var refused = await Send(Pothole());

        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(600)), "Intake:Web:WindowSeconds");
        Assert.That(Count("map_reports"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_report_kept_off_the_public_map_or_an_unknown_number_is_not_found()
    {
        Assert.That((await Send(Pothole())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Send(Pothole())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using (var db = _app.OpenDatabase())
        {
            db.Execute("UPDATE map_reports SET hidden_at = 1773129600000, hidden_by = 'dispecer', hidden_reason = 'o față' WHERE case_id = (SELECT id FROM cases WHERE number = 1)");
            db.Execute("UPDATE map_reports SET public_text = 0 WHERE case_id = (SELECT id FROM cases WHERE number = 2)");
        }

        foreach (var id in new[] { "2026-1", "2026-2", "2026-3", "2025-1", "nonsense", "2026-0" })
        {
            var problem = await (await _public.GetAsync($"/api/public/reports/{id}")).AssertProblem(HttpStatusCode.NotFound);
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("no public report with this number"), id);
        }
    }

    [Test]
    public async Task A_photo_sent_with_a_report_waits_for_a_dispatchers_review_before_it_is_shown()
    {
        var response = await Send(Pothole(), ("groapa.jpg", SmallJpeg(), "image/jpeg"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var receipt = await response.ReadJson<PublicReportReceipt>();
        Assert.That((receipt.Photos, receipt.PhotosAwaitingReview), Is.EqualTo((1, 1)), "Map:PhotosPublicAtOnce is false by default");
        var report = await (await _public.GetAsync("/api/public/reports/2026-1")).ReadJson<PublicReport>();
        Assert.That((report.Photos.Count, report.PhotosAwaitingReview), Is.EqualTo((0, 1)));
    }

    [Test]
    public async Task Once_a_dispatcher_publishes_one_photo_and_hides_the_other_none_is_said_to_wait_and_only_the_published_one_shows()
    {
        var sent = await Send(Pothole(), ("groapa.jpg", SmallJpeg(), "image/jpeg"), ("placuta.jpg", SmallJpeg(0x20), "image/jpeg"));
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Created), await sent.Content.ReadAsStringAsync());
        Guid caseId;
        Guid[] photos;
        using (var db = _app.OpenDatabase())
        {
            caseId = db.ExecuteScalar<Guid>("SELECT case_id FROM map_reports");
            photos = db.Query<Guid>("SELECT id FROM case_photos ORDER BY position").ToArray();
        }
        Assert.That(photos, Has.Length.EqualTo(2));
        var dispatcher = await _app.ClientFor(CitizenCrm.Core.Common.StaffRole.Dispatcher);

        var published = await dispatcher.PostAsync($"/api/map/reports/{caseId}/photos/{photos[0]}/publish", null);
        var hidden = await dispatcher.PostAsync($"/api/map/reports/{caseId}/photos/{photos[1]}/hide",
            new StringContent("{\"reason\":\"Se vede numărul de înmatriculare\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.That((published.StatusCode, hidden.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), await hidden.Content.ReadAsStringAsync());
        var report = await (await _public.GetAsync("/api/public/reports/2026-1")).ReadJson<PublicReport>();
        Assert.That(report.PhotosAwaitingReview, Is.EqualTo(0), "a hidden photo was decided on; the public is not told it exists");
        Assert.That(report.Photos.Select(p => p.Url), Is.EqualTo(new[] { $"/media/photos/{photos[0]}" }));
    }

    /// <summary>A real 64 × 48 JPEG, as a phone's camera would send (smaller); the shade tells two pictures apart.</summary>
    internal static byte[] SmallJpeg(byte shade = 0x80)
    {
        using var bitmap = new SKBitmap(64, 48);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(shade, 0x70, 0x60));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }
}
