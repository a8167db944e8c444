using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;

namespace CitizenCrm.Tests.Api;

/// <summary>
/// Every staff read that shows a citizen's data writes its audit row (README, Configuration: "every staff read of a
/// citizen's data writes one audit row per citizen shown"). The reads are enumerated from /openapi/v1.json, so a new
/// GET that is not in the table below fails this test until someone decides whether it shows citizen data.
/// </summary>
public sealed class CitizenReadAuditTests : PhoneCallTest
{
    /// <summary>Every GET (and the search POST) in the document: true when it shows a citizen's data.</summary>
    private static readonly Dictionary<string, bool> ShowsCitizenData = new()
    {
        ["POST /api/citizens/search"] = true,
        ["GET /api/citizens/{id}"] = true,
        ["GET /api/citizens/{id}/timeline"] = true,
        ["GET /api/citizens/{id}/cases"] = true,
        ["GET /api/citizens/{id}/cases/by-number/{number}"] = true,
        ["GET /api/cases/by-registration-number/{number}/{year}"] = false, // the console's search: number, register, kind, status, subject; no party
        ["GET /api/citizens/{id}/taxes"] = true,
        ["GET /api/citizens/{id}/fines"] = true,
        ["GET /api/timeline"] = true,
        ["GET /api/timeline/cases/{caseId}"] = true,
        ["GET /api/timeline/calls/{correlation}"] = true,
        ["GET /api/cases"] = true,
        ["GET /api/cases/{id}"] = true,
        ["GET /api/cases/{id}/receipt"] = true,
        ["GET /api/cases/{id}/receipt.html"] = true,
        ["GET /api/cases/{id}/documents/{sha256}"] = true,
        ["GET /api/phone/queue"] = true,
        ["GET /api/dispatch/queue"] = true,
        ["GET /api/map/incidents"] = true, // the staff's map feed: a citizen reporter's id beside the case
        // Not about a citizen: the server, the signed-in user, staff accounts, calendars and registry settings.
        ["GET /"] = false,
        ["GET /api/auth/me"] = false,
        ["GET /api/auth/console/me"] = false,
        ["GET /api/staff-users"] = false,
        ["GET /api/dispatch/assignees"] = false, // staff: whom a dispatcher may give work to
        ["GET /api/calendar/non-working-days/{year}"] = false,
        ["GET /api/registry/categories"] = false,
        ["GET /api/registry/registers"] = false,
        ["GET /api/catalogue/services"] = false,
        ["GET /api/catalogue/services/{code}"] = false,
        ["GET /api/catalogue/services/{code}/history"] = false,
        // A map report's photos: re-encoded pictures without metadata, their sizes and moderation state with staff usernames,
        // and the case number; never the reporter's name, e-mail or phone (those are read through the case, audited).
        ["GET /api/map/reports/{caseId}/photos"] = false, ["GET /media/photos/{id}"] = false, ["GET /media/photos/{id}/thumbnail"] = false,
        ["GET /api/open311/keys"] = false,
        ["GET /open311/v2/discovery.{format}"] = false, ["GET /open311/v2/services.{format}"] = false, ["GET /open311/v2/services/{code}.{format}"] = false,
        ["GET /open311/v2/requests.{format}"] = false, ["GET /open311/v2/requests/{id}.{format}"] = false, ["GET /open311/v2/tokens/{token}.{format}"] = false,
        ["GET /open311/v2/servicerequestupdates.{format}"] = false,
        // Who read whom: ids and staff names, the supervisor's tool for these very rows (reading it is not itself audited).
        ["GET /api/audit"] = false,
        // The register of data-subject requests: the citizen's id, kinds, dates, terms and the staff's reasons; never a name,
        // CNP or contact (the export, which has them, is audited as ExportCitizenData).
        ["GET /api/data-requests"] = false, ["GET /api/data-requests/{id}"] = false,
        ["GET /api/jobs"] = false, // job names, schedules and run summaries: counts, never a citizen
        // Kind, status, case number and a masked address ("i***@exemplu.ro"): which notice went where, not whose data it is.
        ["GET /api/notifications"] = false,
        ["GET /api/notification-templates"] = false,
        ["GET /api/notification-templates/{kind}/{language}"] = false,
        // The public's reads by number + access code: the status carries no personal data, and the answer document is the
        // citizen's own answer, fetched by the holder of its code (not a staff read; the lookups are rate-limited instead).
        ["GET /api/public/requests/{year}/{number}"] = false, ["GET /api/public/requests/{year}/{number}/answer"] = false,
        // A map report as anyone sees it: service, status, place, public updates and reviewed photos, never the reporter.
        ["GET /api/public/reports/{id}"] = false,
        // The live stream sends event ids, kinds, case numbers and staff usernames, never a citizen's name or data: a screen
        // reads the queue (audited, above) for those.
        ["GET /api/dispatch/stream"] = false,
        // Supervisors' reports: counts per day, channel, department and service, never a person (no names, ids or numbers).
        ["GET /api/reports/interactions"] = false, ["GET /api/reports/cases"] = false, ["GET /api/reports/answer-times"] = false,
        ["GET /api/reports/phone-robot"] = false, ["GET /api/reports/notifications"] = false, ["GET /api/reports/daily-snapshots"] = false,
        ["GET /api/reports/law-544"] = false, ["GET /api/reports/petitions"] = false,
        // The public map feed: no reporter's name, contact, id or description (tests/Map/Geo), read by anyone.
        ["GET /api/public/map/incidents"] = false,
        // Twilio's side of a call: the caller's own data, recorded on the timeline (channel ivr), not a staff read.
        ["GET /twilio/voice/incoming"] = false, ["GET /twilio/voice/turn"] = false, ["GET /twilio/voice/wait"] = false,
        ["GET /twilio/voice/status"] = false, ["GET /twilio/voice/fallback"] = false, ["GET /twilio/voice/operator"] = false,
        ["GET /twilio/voice/bridged"] = false,
    };

    [Test]
    public async Task Every_read_of_a_citizens_data_writes_an_audit_row_for_that_citizen()
    {
        // A citizen with a PIN, a call waiting for an operator, a petition and a document on it.
        var caller = await CitizenWithPin("Mihai", phone: "+40745111222");
        var call = NewCall("+40745111222");
        await Identify(call, caller);
        await call.Press("0");
        var petition = await (await Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă în asfalt", citizenId = caller.Id })).ReadJson<CaseDetails>();
        var upload = new ByteArrayContent("%PDF-1.4\n%test\n"u8.ToArray());
        upload.Headers.ContentType = new("application/pdf");
        var document = await (await Clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName=cerere.pdf", upload)).ReadJson<CaseDocument>();

        // A report on the map by the same citizen (matched by the phone), for the staff's map feed.
        await App.Send(new CitizenCrm.Core.Map.ReportIncident("pothole", 46.07, 23.57, null, null, null,
            new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small"] }, null, null, null, "+40745111222", null, null, null,
            CitizenCrm.Core.Map.ReportSources.MapPage), "map-page");

        var operations = (await ApiDocument.OperationsAsync(App)).Where(o => o.StartsWith("GET ", StringComparison.Ordinal) || o == "POST /api/citizens/search").ToList();
        Assert.That(operations.Except(ShowsCitizenData.Keys), Is.Empty, "reads in /openapi/v1.json missing from the table: decide whether they show citizen data");
        Assert.That(ShowsCitizenData.Keys.Except(operations), Is.Empty, "table rows for reads the document does not list");

        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        var values = new Dictionary<string, string>
        {
            ["id"] = "", ["caseId"] = petition.Id.ToString(), ["correlation"] = call.CallSid,
            ["number"] = petition.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), ["sha256"] = document.Sha256,
        };
        var missing = new List<string>();
        foreach (var operation in operations.Where(o => ShowsCitizenData[o]))
        {
            values["id"] = operation.StartsWith("GET /api/cases/", StringComparison.Ordinal) ? petition.Id.ToString() : caller.Id.ToString();
            var path = ApiDocument.Fill(operation[(operation.IndexOf(' ') + 1)..], values);
            if (operation == "GET /api/cases") path += "?dueWithinDays=60"; // the petition's 30 days are beyond the default window
            var before = AuditRows(caller.Id);
            var response = operation == "POST /api/citizens/search"
                ? await supervisor.PostAsJsonAsync(path, new { phone = "0745 111 222" })
                : await supervisor.GetAsync(path);
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{operation}: {await response.Content.ReadAsStringAsync()}");
            if (AuditRows(caller.Id) <= before) missing.Add(operation);
        }
        Assert.That(missing, Is.Empty, "reads of the citizen's data that wrote no audit row");
    }

    private long AuditRows(Guid citizenId) =>
        Scalar("SELECT COUNT(*) FROM audit_log WHERE citizen_id = @id AND actor_role = 'supervisor'", new { id = citizenId });
}
