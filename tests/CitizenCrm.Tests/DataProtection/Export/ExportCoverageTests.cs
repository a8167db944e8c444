using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CitizenCrm.Tests.DataProtection.Requests;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.DataProtection.Export;

public sealed class ExportCoverageTests
{
    /// <summary>A citizen with a case, a document and a staff read (the desk's own small seed), and their export.</summary>
    private static async Task<(DataRequestDesk Desk, Guid Citizen, JsonElement Export)> SmallSeedAsync()
    {
        var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.CitizenAsync("Maria", "Ionescu", email: "maria.ionescu@exemplu.ro", phone: "+40745998877");
        var petition = await (await desk.Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă în asfalt", citizenId = citizen })).ReadJson<JsonElement>();
        var upload = new ByteArrayContent("%PDF-1.4\n%cerere\n"u8.ToArray());
        upload.Headers.ContentType = new("application/pdf");
        (await desk.Clerk.PostAsync($"/api/cases/{petition.GetProperty("id").GetGuid()}/documents?fileName=cerere.pdf", upload)).EnsureSuccessStatusCode();
        (await desk.Clerk.GetAsync($"/api/citizens/{citizen}")).EnsureSuccessStatusCode();
        var request = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        var response = await desk.ExportAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (desk, citizen, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Test]
    public async Task Every_column_naming_a_citizen_or_a_case_is_exported_or_left_out_with_a_reason()
    {
        var (desk, citizen, export) = await SmallSeedAsync();
        using var _ = desk;
        using var db = desk.App.OpenDatabase();
        var rows = new Dictionary<ExportCoverage.Reference, int>();
        Assert.That(ExportCoverage.Problems(db, export, citizen, rows), Is.Empty);
        // The schema as it is today (issue 12): the test found these, and checked the seeded rows of those it could.
        Assert.That(ExportCoverage.References(db).Select(r => $"{r.Table}.{r.Column}"), Is.EquivalentTo(new[]
        {
            "audit_log.citizen_id", "case_documents.case_id", "case_intake.case_id", "case_intake.on_behalf_of_id", "case_locations.case_id",
            "case_photos.case_id", "cases.citizen_id", "cases.joined_to_case_id", "cases.related_case_id", "citizen_emails.citizen_id",
            "citizen_erasures.citizen_id", "citizen_name_tokens.citizen_id", "citizen_phones.citizen_id", "data_subject_requests.citizen_id",
            "fines.citizen_id", "ivr_calls.citizen_id", "mail_messages.case_id", "map_reports.case_id", "map_reports.possible_duplicate_of",
            "notifications.case_id", "notifications.citizen_id", "phone_access_locks.citizen_id", "phone_requests.citizen_id",
            "tax_obligations.citizen_id", "timeline_events.case_id", "timeline_events.citizen_id",
        }));
        Assert.That(rows.Where(r => r.Value > 0).Select(r => $"{r.Key.Table}.{r.Key.Column}"), Is.SupersetOf(new[]
        {
            "audit_log.citizen_id", "case_documents.case_id", "cases.citizen_id", "data_subject_requests.citizen_id",
            "notifications.case_id", "notifications.citizen_id", "timeline_events.case_id", "timeline_events.citizen_id",
        }));
    }

    [Test]
    public async Task A_new_table_naming_a_citizen_and_a_row_missing_from_the_export_both_fail_the_check()
    {
        var (desk, citizen, export) = await SmallSeedAsync();
        using var _ = desk;
        using var db = desk.App.OpenDatabase();
        db.Execute($"CREATE TABLE parking_permits (id TEXT PRIMARY KEY, citizen_id {(TestDatabases.OnPostgres ? "uuid" : "TEXT")} NOT NULL REFERENCES citizens (id), plate TEXT NOT NULL)");
        db.Execute("INSERT INTO parking_permits VALUES ('P-1', @C, 'AB 12 XYZ')", new { C = DataRequestDesk.Db(citizen) });
        var node = JsonNode.Parse(export.GetRawText())!;
        var documents = node["cases"]![0]!["documents"]!.AsArray();
        var sha = documents[0]!["sha256"]!.GetValue<string>();
        documents.Clear();
        var leftOut = node["leftOut"]!.AsArray();
        leftOut.Remove(leftOut.Single(l => l!["table"]!.GetValue<string>() == "citizen_name_tokens"));
        var mutilated = JsonDocument.Parse(node.ToJsonString()).RootElement;

        Assert.That(ExportCoverage.Problems(db, mutilated, citizen, []), Is.EquivalentTo(new[]
        {
            $"a row of case_documents (by case_id; case_id = {DataRequestDesk.Db(export.GetProperty("cases")[0].GetProperty("id").GetGuid())}, sha256 = {sha}) is not in the export at cases[].documents",
            "citizen_name_tokens.citizen_id names a citizen, but the export neither declares it as a source nor as left out with a reason",
            "parking_permits.citizen_id names a citizen, but the export neither declares it as a source nor as left out with a reason",
        }));
    }
}
