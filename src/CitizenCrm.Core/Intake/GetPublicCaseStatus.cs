using System.Text.Json.Serialization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// A web request's status as anyone holding its number and access code may read it: no name, e-mail, phone, text
/// or answer text (a code can be lost or shared), only where the case stands and whether its answer can be downloaded.
/// </summary>
public sealed record PublicCaseStatus(
    string RegistrationNumber, string Kind, string Status, DateOnly RegisteredOn, DateOnly? DueOn, bool Late,
    DateOnly? AnsweredOn, string? OutgoingNumber, bool AnswerDocumentAvailable, string? AnswerDocumentUrl);

/// <summary>The status of a web request by number and private access code. A wrong code and an unknown number read the same.</summary>
public sealed record GetPublicCaseStatus(int Year, int Number, [property: JsonIgnore] string? AccessCode) : IQuery<PublicCaseStatus>;

/// <summary>The answer document of a web request (the digital repository of answers), by number and access code.</summary>
public sealed record GetPublicAnswerDocument(int Year, int Number, [property: JsonIgnore] string? AccessCode) : IQuery<CaseDocument>;

/// <summary>Finds a web request by number and checks its access code, the same way for the status and the answer.</summary>
internal static class PublicCases
{
    // Web requests are numbered in the general register (RegisterCase's default), so the number and year name one case.
    private const string Find = """
        SELECT c.id AS Id, i.access_code_hash AS AccessCodeHash
        FROM cases c JOIN case_intake i ON i.case_id = c.id
        WHERE c.register_code = 'general' AND c.year = @Year AND c.number = @Number AND i.access_code_hash IS NOT NULL
        """;

    private sealed record Found
    {
        public Guid Id { get; init; }
        public string AccessCodeHash { get; init; } = "";
    }

    public static async Task<CaseRow> FindAsync(UnitOfWork uow, PhonePinHasher hasher, int year, int number, string? code, CancellationToken ct)
    {
        var found = await uow.QuerySingleOrDefaultAsync<Found>(Find, new { Year = year, Number = number }, ct);
        // An unknown number still costs one HMAC, as a wrong code does: the time taken tells nothing either.
        var ok = AccessCodes.Verify(hasher, found?.Id ?? Guid.Empty, code, found?.AccessCodeHash ?? new string('0', 64));
        if (found is null || !ok) throw new PublicCaseNotFoundException();
        return await CaseStore.LoadAsync(uow, found.Id, ct);
    }
}

/// <summary>The one answer for an unknown number and for a wrong code, so neither tells which numbers exist.</summary>
public sealed class PublicCaseNotFoundException() : CrmException("Not found",
    "No request with this registration number and access code. Check both: the code is the one shown when the request was sent (e.g. 7K3M-Q9PX-2D4R).");

public sealed class GetPublicCaseStatusHandler(UnitOfWork uow, PhonePinHasher hasher, TimeProvider clock) : IQueryHandler<GetPublicCaseStatus, PublicCaseStatus>
{
    public async ValueTask<PublicCaseStatus> Handle(GetPublicCaseStatus query, CancellationToken ct)
    {
        var c = await PublicCases.FindAsync(uow, hasher, query.Year, query.Number, query.AccessCode, ct);
        var (due, _, late) = c.Deadline(Calendar.Today(clock));
        var document = c.Status is CaseStatuses.Answered or CaseStatuses.Closed && c.AnswerDocument is not null;
        return new PublicCaseStatus(c.RegistrationNumber, c.Kind, c.Status, c.RegisteredOn, due, late, c.AnsweredOn,
            c.AnswerNumber is null ? null : $"{c.AnswerNumber}/{c.AnswerYear}", document,
            document ? $"/api/public/requests/{c.Year}/{c.Number}/answer" : null);
    }
}

public sealed class GetPublicAnswerDocumentHandler(UnitOfWork uow, PhonePinHasher hasher) : IQueryHandler<GetPublicAnswerDocument, CaseDocument>
{
    private const string Document = """
        SELECT content_type AS ContentType, size_bytes AS SizeBytes, attached_at AS AttachedAt
        FROM case_documents WHERE case_id = @CaseId AND sha256 = @Sha256
        """;

    private sealed record Row
    {
        public string ContentType { get; init; } = "";
        public long SizeBytes { get; init; }
        public long AttachedAt { get; init; }
    }

    public async ValueTask<CaseDocument> Handle(GetPublicAnswerDocument query, CancellationToken ct)
    {
        var c = await PublicCases.FindAsync(uow, hasher, query.Year, query.Number, query.AccessCode, ct);
        // Past the code check, the holder may be told plainly that the answer is not ready: that tells them nothing new.
        var row = c.AnswerDocument is null ? null : await uow.QuerySingleOrDefaultAsync<Row>(Document, new { CaseId = c.Id, Sha256 = c.AnswerDocument }, ct);
        if (row is null)
            throw new ConflictException(c.AnswerText is null
                ? $"Request {c.RegistrationNumber} has not been answered yet. Its status says where it stands."
                : $"The answer to request {c.RegistrationNumber} was sent without a document here (by {c.AnswerSentVia?.Replace('_', ' ')}).",
                "No answer document");
        // The uploaded file name may carry a person's name: the download is named by its number instead.
        return new CaseDocument(c.Id, c.AnswerDocument!, row.ContentType, row.SizeBytes, null, Calendar.FromMs(row.AttachedAt));
    }
}
