using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record CaseDocument(Guid CaseId, string Sha256, string ContentType, long SizeBytes, string? FileName, DateTimeOffset AttachedAt);

/// <summary>
/// Attaches an uploaded document to a case (e.g. the signed answer). The file is written only after the case has
/// accepted it (it exists and its status allows attaching), durably and before the row, in the same transaction:
/// see <see cref="DocumentStore"/>. The endpoint runs this through <see cref="DocumentStore.AttachAsync{T}"/>,
/// which removes the file again if the transaction does not commit.
/// </summary>
/// <param name="Channel">Where the document came from, for the timeline: the desk unless said (an e-mail's attachment: email).</param>
public sealed record AttachCaseDocument(Guid CaseId, DocumentUpload Upload, string? FileName, string? Channel = null) : ICommand<CaseDocument>;

public sealed class AttachCaseDocumentHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock, DocumentStore store)
    : ICommandHandler<AttachCaseDocument, CaseDocument>
{
    private const string Exists = "SELECT attached_at FROM case_documents WHERE case_id = @CaseId AND sha256 = @Sha256";
    private const string Insert = """
        INSERT INTO case_documents (case_id, sha256, content_type, size_bytes, file_name, attached_by, attached_at)
        VALUES (@CaseId, @Sha256, @ContentType, @SizeBytes, @FileName, @Actor, @Now)
        """;

    public async ValueTask<CaseDocument> Handle(AttachCaseDocument command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.AttachDocument);
        var upload = command.Upload;
        // The name is only shown, never used as a path; keep it short and free of folders and control characters.
        var name = command.FileName is null ? null : new string(Path.GetFileName(command.FileName).Where(ch => !char.IsControl(ch)).Take(200).ToArray());
        if (await uow.ExecuteScalarAsync<long?>(Exists, new { CaseId = c.Id, upload.Sha256 }, ct) is { } at)
            return new CaseDocument(c.Id, upload.Sha256, upload.ContentType, upload.SizeBytes, name, Calendar.FromMs(at));
        await store.WriteDurablyAsync(upload, ct);
        var now = clock.GetUtcNow();
        await uow.ExecuteAsync(Insert, new { CaseId = c.Id, upload.Sha256, upload.ContentType, upload.SizeBytes, FileName = name,
            Actor = context.Actor, Now = now.ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.document_attached",
            $"Document attached to {c.RegistrationNumber} ({upload.ContentType}, {upload.SizeBytes / 1024 + 1} KB)",
            new { sha256 = upload.Sha256, contentType = upload.ContentType, sizeBytes = upload.SizeBytes, fileName = name }, ct,
            command.Channel ?? Channels.Desk);
        return new CaseDocument(c.Id, upload.Sha256, upload.ContentType, upload.SizeBytes, name, now);
    }
}

/// <summary>A document attached to this case (the file itself is read from the DocumentStore).</summary>
public sealed record GetCaseDocument(Guid CaseId, string Sha256) : IQuery<CaseDocument>;

public sealed class GetCaseDocumentHandler(UnitOfWork uow) : IQueryHandler<GetCaseDocument, CaseDocument>
{
    private sealed record Row
    {
        public string Sha256 { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long SizeBytes { get; init; }
        public string? FileName { get; init; }
        public long AttachedAt { get; init; }
    }

    private const string Sql = """
        SELECT sha256 AS Sha256, content_type AS ContentType, size_bytes AS SizeBytes, file_name AS FileName, attached_at AS AttachedAt
        FROM case_documents WHERE case_id = @CaseId AND sha256 = @Sha256
        """;

    public async ValueTask<CaseDocument> Handle(GetCaseDocument query, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Sql, new { query.CaseId, Sha256 = query.Sha256.ToLowerInvariant() }, ct)
            ?? throw new NotFoundException("document on this case", query.Sha256);
        return new CaseDocument(query.CaseId, row.Sha256, row.ContentType, row.SizeBytes, row.FileName, Calendar.FromMs(row.AttachedAt));
    }
}
