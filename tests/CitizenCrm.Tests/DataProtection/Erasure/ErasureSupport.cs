using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.DataProtection;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.DataProtection.Erasure;

internal static class ErasureSupport
{
    public const string LegalBasis = "GDPR art. 17(1)(a): no longer necessary";

    /// <summary>A data-subject request as the requests API registers it (through the one store that writes them).</summary>
    public static async Task<Guid> RegisterRequest(this CrmTestApp app, Guid citizenId, string kind = DataSubjectRequestKinds.Erasure)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        var request = await uow.InTransactionAsync(() => DataSubjectRequestStore.RegisterAsync(uow, citizenId, kind,
            new DateOnly(2026, 11, 30), "desk", "test-supervisor", DateTimeOffset.UtcNow, CancellationToken.None), CancellationToken.None);
        return request.Id;
    }

    public static Task<HttpResponseMessage> Erase(this HttpClient supervisor, Guid requestId, string? legalBasis = LegalBasis) =>
        supervisor.PostAsJsonAsync($"/api/data-requests/{requestId}/erase", new { legalBasis });

    public static async Task<JsonElement> EraseOk(this HttpClient supervisor, Guid requestId)
    {
        var response = await supervisor.Erase(requestId);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<Guid> RegisterPetition(this HttpClient clerk, Guid citizenId, string subject)
    {
        var response = await clerk.PostAsJsonAsync("/api/cases", new { kind = "petition", channel = "desk", subject, citizenId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task FileCase(this HttpClient clerk, Guid caseId)
    {
        var response = await clerk.PostAsJsonAsync($"/api/cases/{caseId}/file", new { reason = "Retras de petent." });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    public static void Exec(this CrmTestApp app, string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(this CrmTestApp app, string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = app.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteScalar();
    }

    /// <summary>A local tax in the ledger, as the revenue import writes it (amounts in bani).</summary>
    public static void AddTax(this CrmTestApp app, Guid citizenId, long dueBani, long paidBani, string description = "Str. Teilor nr. 4")
    {
        app.Exec("""
            INSERT INTO tax_obligations (id, citizen_id, source_ref, tax_kind, fiscal_year, description, amount_due, amount_paid, increases,
                                         exported_on, import_batch, updated_at)
            VALUES (@id, @citizen, @ref, 'building', 2025, @description, @due, @paid, NULL, '2026-11-01', '00000000-0000-0000-0000-0000000000b1', 0)
            """, ("@id", Guid.NewGuid()), ("@citizen", citizenId), ("@ref", "TAX-" + Guid.NewGuid().ToString("N")[..8]),
            ("@description", description), ("@due", dueBani), ("@paid", paidBani));
    }

    public static void AddFine(this CrmTestApp app, Guid citizenId, long appliedBani, long paidBani, string reportNumber)
    {
        app.Exec("""
            INSERT INTO fines (id, citizen_id, source_ref, report_number, handed_over_on, legal_basis, fine_category, amount_applied,
                               legal_minimum, amount_paid, paid_on, exported_on, import_batch, updated_at)
            VALUES (@id, @citizen, @ref, @report, '2025-03-10', 'HCL 12/2020 art. 3', 'general', @applied, @applied, @paid,
                    @paidOn, '2026-11-01', '00000000-0000-0000-0000-0000000000b1', 0)
            """, ("@id", Guid.NewGuid()), ("@citizen", citizenId), ("@ref", "FINE-" + Guid.NewGuid().ToString("N")[..8]),
            ("@report", reportNumber), ("@applied", appliedBani), ("@paid", paidBani), ("@paidOn", paidBani > 0 ? new DateOnly(2025, 6, 1) : null));
    }
}
