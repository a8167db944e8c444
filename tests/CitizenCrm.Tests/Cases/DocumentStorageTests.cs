using System.Net;
using System.Net.Http.Headers;
using CitizenCrm.Core.Cases;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Cases;

/// <summary>A document is on disk exactly when a committed row refers to it: refused uploads leave nothing, crashes are swept.</summary>
public sealed class DocumentStorageTests
{
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    // sha256 of Pdf above, computed once with sha256sum.
    private const string PdfSha256 = "4cd9cee060ad985e44c2c3f6c6427ab82440aafe683a3675a486a843790b6103";

    private static ByteArrayContent PdfContent(byte[]? bytes = null)
    {
        var content = new ByteArrayContent(bytes ?? Pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }

    private static string[] FilesUnder(string dataFolder)
    {
        var folder = Path.Combine(dataFolder, "documents");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    [Test]
    public async Task An_upload_to_an_unknown_case_is_a_404_and_leaves_no_file()
    {
        using var desk = await RegistryDesk.OpenAsync();

        var response = await desk.Clerk.PostAsync($"/api/cases/{Guid.NewGuid()}/documents", PdfContent());

        await response.AssertProblem(HttpStatusCode.NotFound);
        Assert.That(FilesUnder(desk.App.DataFolder), Is.Empty);
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM case_documents"), Is.EqualTo(0));
    }

    [Test]
    public async Task An_upload_to_a_closed_case_is_a_409_and_leaves_no_file()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var petition = await desk.Petition(await desk.NewCitizen());
        await desk.PostOk(petition.Id, "assign", new { department = "Taxe" });
        await desk.PostOk(petition.Id, "answer", new { text = "Răspuns", legalBasis = "OG 27/2002", signedBy = "Primar", sentVia = "in_person" });
        await desk.PostOk(petition.Id, "close", new { note = "Done" });

        var response = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents", PdfContent());

        await response.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(FilesUnder(desk.App.DataFolder), Is.Empty);
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM case_documents"), Is.EqualTo(0));
    }

    [Test]
    public async Task When_the_row_cannot_be_written_the_file_written_for_it_is_removed_but_a_file_another_row_needs_stays()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var citizen = await desk.NewCitizen();
        var first = await desk.Petition(citizen);
        var second = await desk.Petition(citizen);
        var kept = await desk.Clerk.PostAsync($"/api/cases/{first.Id}/documents", PdfContent());
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.Created), await kept.Content.ReadAsStringAsync());
        // Any failure after the file is written and before the commit: here the database refuses the row.
        desk.Execute(Sabotage.RefuseInsert("refuse_documents", "case_documents", null, "disk full"));

        var other = await desk.Clerk.PostAsync($"/api/cases/{second.Id}/documents", PdfContent([.. Pdf, .. "% another\n"u8]));
        var same = await desk.Clerk.PostAsync($"/api/cases/{second.Id}/documents", PdfContent());

        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(FilesUnder(desk.App.DataFolder).Select(Path.GetFileName), Is.EqualTo(new[] { PdfSha256 }),
            "the new file is gone; the one the first case's row refers to stays");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM case_documents"), Is.EqualTo(1));
    }

    [Test]
    public async Task At_start_a_leftover_temporary_file_and_a_file_without_a_row_are_removed_and_attached_files_stay()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var petition = await desk.Petition(await desk.NewCitizen());
        var upload = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents", PdfContent());
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var attached = Path.Combine(desk.App.DataFolder, "documents", PdfSha256[..2], PdfSha256);
        const string orphanSha = "0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000";
        var orphan = Path.Combine(desk.App.DataFolder, "documents", "0f", orphanSha);
        var temp = Path.Combine(desk.App.DataFolder, "documents", "0f", orphanSha + ".5c1e0a3b2d4f4e6a8b9c0d1e2f3a4b5c.tmp");
        var fresh = Path.Combine(desk.App.DataFolder, "documents", "0f", "0" + orphanSha[1..^1] + "1.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        foreach (var path in new[] { orphan, temp, fresh }) File.WriteAllBytes(path, Pdf);
        // A crash an hour ago; the fresh temporary file may be another node's upload in progress.
        foreach (var path in new[] { attached, orphan, temp }) File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));

        using var restarted = new CrmTestApp(dataFolder: desk.App.DataFolder);
        _ = restarted.Services.GetRequiredService<DocumentStore>(); // the host has started

        Assert.That(File.Exists(attached), Is.True, "a file its row refers to stays");
        Assert.That(File.Exists(orphan), Is.False, "a file no row refers to is removed");
        Assert.That(File.Exists(temp), Is.False, "a leftover temporary file is removed");
        Assert.That(File.Exists(fresh), Is.True, "a temporary file younger than 15 minutes is left alone");
    }
}
