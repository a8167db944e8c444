using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class CitizenEndpoints
{
    public sealed record CitizenBody(
        string? IdType, string? NationalId, string? FirstName, string? LastName, DateOnly? DateOfBirth,
        string? Address, List<string>? Phones, List<string>? Emails, string? PreferredLanguage, string? Channel, int? Version, int? ExpectedVersion)
    {
        [System.Text.Json.Serialization.JsonIgnore] // computed for the handler; not part of the body
        public CitizenDetails Details => new(FirstName, LastName, DateOfBirth, Address, Phones, Emails, PreferredLanguage);
    }

    // A PUT sends the whole record as read (GET), with its "version": a record changed meanwhile is refused, not overwritten.
    /// <summary>Search criteria travel in the body, never in the URL: URLs end up in proxy and access logs.</summary>
    public sealed record SearchBody(string? NationalId, string? Phone, string? Name, int? Limit);

    public sealed record InteractionBody(string? Type, string? Channel, string? Summary, string? Notes, DateTimeOffset? OccurredAt, string? PerformedBy, Guid? CaseId);

    public static void MapCitizenEndpoints(this RouteGroupBuilder api)
    {
        var citizens = api.MapGroup("/citizens").WithTags("Citizens");

        citizens.MapPost("/", async (CitizenBody body, IMediator mediator, CancellationToken ct) =>
        {
            var citizen = await mediator.Send(new RegisterCitizen(body.IdType, body.NationalId, body.Details, body.Channel ?? Channels.Desk), ct);
            return Results.Created($"/api/citizens/{citizen.Id}", citizen);
        }).Produces<Citizen>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/search", async (SearchBody body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new FindCitizens(body.NationalId, body.Phone, body.Name, body.Limit), ct)))
            .Produces<CitizenSearchResult>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCitizen(id), ct)))
            .Produces<Citizen>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapPut("/{id:guid}", async (Guid id, CitizenBody body, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new UpdateCitizen(id, body.Details, body.ExpectedVersion ?? body.Version), ct)))
            .Produces<Citizen>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/{id:guid}/phone-pin", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new IssuePhonePin(id), ct)))
            .Produces<IssuedPhonePin>().AllowRoles(StaffRole.Clerk, StaffRole.Supervisor);

        citizens.MapPost("/{id:guid}/interactions", async (Guid id, InteractionBody body, IMediator mediator, CancellationToken ct) =>
        {
            var e = await mediator.Send(new LogInteraction(id, body.Type, body.Channel, body.Summary, body.Notes, body.OccurredAt, body.PerformedBy, body.CaseId), ct);
            return Results.Created($"/api/citizens/{id}/timeline", e);
        }).Produces<TimelineEvent>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        citizens.MapGet("/{id:guid}/timeline", async (Guid id, long? before, int? limit, string? channel, string? kind, DateOnly? from, DateOnly? to,
                IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new GetCitizenTimeline(id, new TimelineFilter(channel, kind, from, to), before, limit), ct)))
            .Produces<TimelinePage>().AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);
    }
}
