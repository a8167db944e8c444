using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

public sealed record CaseDocument(Guid CaseId, string Sha256, string ContentType, long SizeBytes, string? FileName, DateTimeOffset AttachedAt);

/// <summary>Links a document already stored by <see cref="DocumentStore"/> to a case (e.g. the signed answer).</summary>
public sealed record AttachCaseDocument(Guid CaseId, string Sha256, string ContentType, long SizeBytes, string? FileName) : ICommand<CaseDocument>;

public sealed class AttachCaseDocumentHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock) : ICommandHandler<AttachCaseDocument, CaseDocument>
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
        // The name is only shown, never used as a path; keep it short and free of folders and control characters.
        var name = command.FileName is null ? null : new string(Path.GetFileName(command.FileName).Where(ch => !char.IsControl(ch)).Take(200).ToArray());
        if (await uow.ExecuteScalarAsync<long?>(Exists, new { CaseId = c.Id, command.Sha256 }, ct) is { } at)
            return new CaseDocument(c.Id, command.Sha256, command.ContentType, command.SizeBytes, name, Calendar.FromMs(at));
        var now = clock.GetUtcNow();
        await uow.ExecuteAsync(Insert, new { CaseId = c.Id, command.Sha256, command.ContentType, command.SizeBytes, FileName = name,
            Actor = context.Actor, Now = now.ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.document_attached",
            $"Document attached to {c.RegistrationNumber} ({command.ContentType}, {command.SizeBytes / 1024 + 1} KB)",
            new { sha256 = command.Sha256, contentType = command.ContentType, sizeBytes = command.SizeBytes, fileName = name }, ct);
        return new CaseDocument(c.Id, command.Sha256, command.ContentType, command.SizeBytes, name, now);
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
