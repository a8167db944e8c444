using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Map.Photos;
using CitizenCrm.Core.Storage;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class ErasureEndpoints
{
    public sealed record ErasureBody(string? LegalBasis);

    public static void MapErasureEndpoints(this RouteGroupBuilder api)
    {
        var requests = api.MapGroup("/data-requests").WithTags("Data protection");

        // Erasure (GDPR art. 17) on an open erasure request: a supervisor's decision, as every data-subject request is.
        requests.MapPost("/{id:guid}/erase", async (Guid id, ErasureBody? body, IMediator mediator, DocumentStore documents, PhotoStore photos,
            IDatabase database, ILoggerFactory logs, CancellationToken ct) =>
        {
            var erased = await mediator.Send(new EraseCitizen(id, body?.LegalBasis), ct);
            // The command has committed: only now may the files go (a rolled-back erasure keeps them).
            await ErasedFiles.RemoveAsync(erased, documents, photos, CancellationToken.None);
            // And the write-ahead log, which still holds the pages as they were before the erasure, is emptied into the file.
            if (database is SqliteDatabase sqlite && !await sqlite.TruncateWriteAheadLogAsync(CancellationToken.None))
                logs.CreateLogger("CitizenCrm.Erasure").LogWarning(
                    "After an erasure the write-ahead log could not be emptied at once (a reader was still on it); SQLite's next checkpoint will.");
            return Results.Ok(erased);
        }).Produces<CitizenErased>().AllowRoles(StaffRole.Supervisor);
    }
}
