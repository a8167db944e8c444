using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Http.Features;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The registry desk: registering cases, their receipts, their lifecycle, and the dispatchers' queue.</summary>
public static class CaseEndpoints
{
    public sealed record RegisterBody(
        string? Kind, string? Channel, string? Subject, string? Description, Guid? CitizenId, OrganisationParty? Organisation,
        ContactParty? Contact, bool? Anonymous, string? Category, string? Register, bool? WrittenAndConfirmed, Guid? RelatedCaseId,
        string? Service);

    public sealed record AssignBody(string? Department, string? StaffUsername);
    public sealed record AnswerBody(string? Text, string? LegalBasis, string? SignedBy, string? SentVia, DateTimeOffset? SentAt, string? DocumentSha256);
    public sealed record NoteBody(string? Note);
    public sealed record InternalNoteBody(string? Text);
    public sealed record ForwardBody(string? ForwardedTo, string? NoticeVia, string? Note);
    public sealed record JoinBody(Guid? IntoCaseId);
    public sealed record ReasonBody(string? Reason);
    public sealed record RejectBody(string? Reason, string? LegalBasis, string? SignedBy, string? SentVia, string? RefusalGround);
    public sealed record ExtendBody(int? Days, string? Reason, string? NoticeVia);
    public sealed record NoticeBody(string? Reason, string? NoticeVia);
    public sealed record CategoryBody(string? Name, int? ProcessingDays, bool? Active);
    public sealed record RegisterDefinitionBody(string? Code, string? Name);

    /// <summary>Registry settings and services; called once from ServerApp.</summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RegistryOptions>(configuration.GetSection("Registry"));
        services.AddScoped<DeadlineCalendar>();
        services.AddSingleton<DocumentStore>();
        return services;
    }

    // Bodies are optional (an empty POST gets the same field errors as an empty JSON object, not a framework message).
    public static void MapCaseEndpoints(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Registry");
        StaffRole[] desk = [StaffRole.Clerk, StaffRole.Supervisor];
        StaffRole[] readers = [StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor];

        cases.MapPost("/", async (RegisterBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var c = await mediator.Send(new RegisterCase(body?.Kind, body?.Channel, body?.Subject, body?.Description, body?.CitizenId, body?.Organisation,
                body?.Contact, body?.Anonymous ?? false, body?.Category, body?.Register, body?.WrittenAndConfirmed ?? false, body?.RelatedCaseId, body?.Service), ct);
            return Results.Created($"/api/cases/{c.Id}", c);
        }).Produces<CaseDetails>(StatusCodes.Status201Created).AllowRoles(desk);

        cases.MapGet("/", async (int? dueWithinDays, bool? overdue, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCaseQueue(dueWithinDays, overdue ?? false, limit, cursor), ct)))
            .Produces<CaseQueue>().AllowRoles(readers);

        cases.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCase(id), ct))).Produces<CaseDetails>().AllowRoles(readers);

        // The console's global search: "12/2026" names a case in every register that reached number 12 in 2026.
        cases.MapGet("/by-registration-number/{number:int}/{year:int}", async (int number, int year, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new FindCasesByRegistrationNumber(number, year), ct))).Produces<CasesFound>().AllowRoles(readers);

        // Notes between colleagues: on the case's history, never shown to the public.
        cases.MapPost("/{id:guid}/notes", async (Guid id, InternalNoteBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var note = await mediator.Send(new AddCaseNote(id, body?.Text), ct);
            return Results.Created($"/api/timeline/cases/{id}", note);
        }).Produces<CaseNote>(StatusCodes.Status201Created).AllowRoles(readers);

        cases.MapGet("/{id:guid}/receipt", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCaseReceipt(id), ct))).Produces<CaseReceipt>().AllowRoles(readers);

        cases.MapGet("/{id:guid}/receipt.html", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var receipt = await mediator.Send(new GetCaseReceipt(id), ct);
            // The page needs no script, image or font: forbid them all, so even a mistake in encoding could not run anything.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Results.Content(ReceiptHtml.Render(receipt), "text/html; charset=utf-8");
        }).Produces<string>(StatusCodes.Status200OK, "text/html").AllowRoles(readers);

        cases.MapPost("/{id:guid}/assign", (Guid id, AssignBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new AssignCase(id, body?.Department, body?.StaffUsername), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/start", (Guid id, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new StartCase(id), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/answer", (Guid id, AnswerBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new AnswerCase(id, body?.Text, body?.LegalBasis, body?.SignedBy, body?.SentVia, body?.SentAt, body?.DocumentSha256), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/close", (Guid id, NoteBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new CloseCase(id, body?.Note), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/forward", (Guid id, ForwardBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new ForwardPetition(id, body?.ForwardedTo, body?.NoticeVia, body?.Note), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/join", (Guid id, JoinBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new JoinPetition(id, body?.IntoCaseId), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/file", (Guid id, ReasonBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new FileCase(id, body?.Reason), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/reject", (Guid id, RejectBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new RejectCase(id, body?.Reason, body?.LegalBasis, body?.SignedBy, body?.SentVia, body?.RefusalGround), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/extend", (Guid id, ExtendBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new ExtendPetitionTerm(id, body?.Days, body?.Reason, body?.NoticeVia), ct))).AllowRoles(desk);
        cases.MapPost("/{id:guid}/notify-extended-term", (Guid id, NoticeBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new NotifyInformationTermExtended(id, body?.Reason, body?.NoticeVia), ct))).AllowRoles(desk);

        // The document travels as the raw request body with its Content-Type (application/pdf, image/png, ...);
        // fileName is only shown, never used as a path.
        cases.MapPost("/{id:guid}/documents", async (Guid id, string? fileName, HttpRequest request, DocumentStore store, IMediator mediator, CancellationToken ct) =>
        {
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = store.MaxBytes + 128 * 1024; // above ours, so our own sentence answers first
            try
            {
                if (request.ContentLength > store.MaxBytes)
                    throw new DocumentRefusedException(413, "Document too large", store.TooLargeDetail);
                var upload = await store.ReadAsync(request.Body, request.ContentType, ct); // checked in memory; the case decides before any disk write
                var doc = await store.AttachAsync(upload, async () => await mediator.Send(new AttachCaseDocument(id, upload, fileName), ct), ct);
                return Results.Created($"/api/cases/{id}/documents/{doc.Sha256}", doc);
            }
            catch (DocumentRefusedException refused)
            {
                return Results.Problem(statusCode: refused.Status, title: refused.Title, detail: refused.Message);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == 413)
            {
                return Results.Problem(statusCode: 413, title: "Document too large", detail: store.TooLargeDetail);
            }
        }).Produces<CaseDocument>(StatusCodes.Status201Created).AllowRoles(desk);

        cases.MapGet("/{id:guid}/documents/{sha256}", async (Guid id, string sha256, DocumentStore store, IMediator mediator, CancellationToken ct) =>
        {
            var c = await mediator.Send(new GetCase(id), ct); // audited read; 404 for an unknown case
            var doc = await mediator.Send(new GetCaseDocument(c.Id, sha256), ct);
            var stream = store.Open(doc.Sha256);
            return stream is null
                ? Results.Problem(statusCode: 404, title: "Not found", detail: "The document's file is missing from the data folder; tell the IT team.")
                : Results.File(stream, doc.ContentType, $"{c.RegistrationNumber.Replace('/', '-')}-{doc.Sha256[..8]}{Extension(doc.ContentType)}");
        }).Produces<Stream>(StatusCodes.Status200OK, DocumentStore.Pdf, DocumentStore.Png, DocumentStore.Jpeg, DocumentStore.Docx, DocumentStore.Odt).AllowRoles(readers);

        api.MapGet("/citizens/{id:guid}/cases", async (Guid id, bool? openOnly, int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCitizenCases(id, openOnly ?? false, limit, cursor), ct)))
            .Produces<CitizenCases>().WithTags("Registry").AllowRoles(readers);

        api.MapGet("/citizens/{id:guid}/cases/by-number/{number:int}", async (Guid id, int number, int? year, IMediator mediator, CancellationToken ct) =>
        {
            var found = await mediator.Send(new FindCitizenCaseByNumber(id, number, year), ct);
            return found.Case is null
                ? Results.Problem(statusCode: 404, title: "Not found", detail: $"This citizen has no case numbered {number}{(year is null ? "" : $"/{year}")}.")
                : Results.Ok(found.Case);
        }).Produces<CaseStatusView>().WithTags("Registry").AllowRoles(readers);

        var registry = api.MapGroup("/registry").WithTags("Registry");
        registry.MapGet("/categories", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListServiceCategories(), ct))).Produces<IReadOnlyList<ServiceCategory>>().RequireAuthorization();
        registry.MapPut("/categories/{code}", (string code, CategoryBody? body, IMediator m, CancellationToken ct) =>
            Ok(m.Send(new DefineServiceCategory(code, body?.Name, body?.ProcessingDays, body?.Active ?? true), ct))).Produces<ServiceCategory>().AllowRoles(StaffRole.Admin);
        registry.MapGet("/registers", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListRegisters(), ct))).Produces<IReadOnlyList<CaseRegister>>().RequireAuthorization();
        registry.MapPost("/registers", async (RegisterDefinitionBody? body, IMediator m, CancellationToken ct) =>
            Results.Created("/api/registry/registers", await m.Send(new DefineRegister(body?.Code, body?.Name), ct))).Produces<CaseRegister>(StatusCodes.Status201Created).AllowRoles(StaffRole.Admin);
    }

    private static async Task<IResult> Ok<T>(ValueTask<T> work) => Results.Ok(await work);

    private static string Extension(string contentType) => contentType switch
    {
        DocumentStore.Pdf => ".pdf",
        DocumentStore.Png => ".png",
        DocumentStore.Jpeg => ".jpg",
        DocumentStore.Docx => ".docx",
        _ => ".odt",
    };
}
