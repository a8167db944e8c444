using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Timeline;

/// <summary>
/// A contact that changes nothing else: a call note, an e-mail, a desk visit, a field visit.
/// When a mobile team member or a volunteer acted for the citizen, <see cref="PerformedBy"/> names them
/// and the event records that they acted on the citizen's behalf; the clerk who typed it stays in the payload.
/// </summary>
public sealed record LogInteraction(
    Guid CitizenId,
    string? Type,
    string? Channel,
    string? Summary,
    string? Notes = null,
    DateTimeOffset? OccurredAt = null,
    string? PerformedBy = null,
    Guid? CaseId = null) : ICommand<TimelineEvent>, IValidatable
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
        { "call_note", "email", "desk_visit", "field_visit", "letter", "other" };

    public void Validate(Validation v)
    {
        if (v.Required("type", Type, "The kind of interaction") && !Types.Contains(Type!))
            v.Add("type", $"Unknown kind of interaction '{Type}'. Use one of: {string.Join(", ", Types)}.");
        if (v.Required("channel", Channel, "The channel") && !Channels.All.Contains(Channel!))
            v.Add("channel", $"Unknown channel '{Channel}'. Use one of: {string.Join(", ", Channels.All)}.");
        if (v.Required("summary", Summary, "A one-line summary")) v.MaxLength("summary", Summary, 300, "The summary");
        v.MaxLength("notes", Notes, 4000, "The notes");
        v.MaxLength("performedBy", PerformedBy, 100, "Who performed it");
        // The timeline is append-only: a year-1 date written by mistake could never be corrected. Nothing this
        // city hall records predates 1990 (the first paper registers still kept are later), so an earlier date is a typo.
        if (OccurredAt is { } at && at < EarliestOccurredAt)
            v.Add("occurredAt", $"The date of the interaction ({at:yyyy-MM-dd}) is before 1990; check the year. Leave it out to record the present moment.");
    }

    public static readonly DateTimeOffset EarliestOccurredAt = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

public sealed class LogInteractionHandler(UnitOfWork uow, Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<LogInteraction, TimelineEvent>
{
    private const string CitizenName = "SELECT first_name AS FirstName, last_name AS LastName FROM citizens WHERE id = @CitizenId";
    private sealed record Name(string FirstName, string LastName);

    public async ValueTask<TimelineEvent> Handle(LogInteraction command, CancellationToken ct)
    {
        var citizen = await uow.QuerySingleOrDefaultAsync<Name>(CitizenName, new { command.CitizenId }, ct)
            ?? throw new NotFoundException("citizen", command.CitizenId);
        await ErasedCitizens.ThrowIfErasedAsync(uow, command.CitizenId, ct);
        var name = $"{citizen.FirstName} {citizen.LastName}";
        if (command.OccurredAt is { } at && at > clock.GetUtcNow().AddMinutes(5))
            throw ValidationFailedException.For("occurredAt", "An interaction cannot be logged in the future (more than 5 minutes ahead of the server's clock); check the date and the time zone.");

        var onBehalf = command.PerformedBy is not null;
        return await timeline.AppendAsync(new TimelineEntry
        {
            Kind = $"interaction.{command.Type}",
            Channel = command.Channel!,
            Summary = command.Summary!,
            CitizenId = command.CitizenId,
            CaseId = command.CaseId,
            Actor = command.PerformedBy ?? context.Actor,
            OnBehalfOf = onBehalf ? name : null,
            OccurredAt = command.OccurredAt,
            Payload = new { command.Notes, RecordedBy = context.Actor },
        }, ct);
    }
}
