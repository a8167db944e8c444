using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// A volunteer or a mobile team registers a request on a citizen's behalf, in the field. The case's party is the
/// citizen (or, for someone not in the register, a contact with their name and how to reach them); the one who acted
/// is the signed-in volunteer or staff member. Both are kept: case_intake.registered_by and on_behalf_of on the case,
/// and on the timeline an event whose actor is the volunteer and whose on_behalf_of is the citizen.
/// </summary>
public sealed record RegisterFieldRequest(
    string? Kind,
    string? Service,
    string? Subject,
    string? Description,
    Guid? CitizenId,
    ContactParty? Contact) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (CitizenId is null && Contact is null)
            v.Add("party", "Say for whom the request is made: the citizen (citizenId) or, for someone not in the register, contact.name and contact.details.");
    }
}

public sealed class RegisterFieldRequestHandler(UnitOfWork uow, CaseIntake intake, Timeline.Timeline timeline, RequestContext context)
    : ICommandHandler<RegisterFieldRequest, CaseDetails>
{
    public async ValueTask<CaseDetails> Handle(RegisterFieldRequest command, CancellationToken ct)
    {
        // RegisterCase refuses an unknown citizen id before anything is written; the citizen's name comes back with the case.
        var register = new RegisterCase(command.Kind, Channels.Field, command.Subject, command.Description, command.CitizenId, null, command.Contact,
            Service: command.Service);
        var c = await intake.RegisterAsync(register, new IntakeDetails(context.Actor, OnBehalfOf: command.Contact?.Name?.Trim(), OnBehalfOfId: command.CitizenId), ct);
        var forWhom = c.Party.DisplayName;
        if (command.CitizenId is not null) await SetOnBehalfOfAsync(c, forWhom, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "case.registered_on_behalf", Channel = Channels.Field, CaseId = c.Id, CitizenId = c.Party.CitizenId,
            Actor = context.Actor, OnBehalfOf = forWhom,
            Summary = $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} registered in the field by {context.Actor} on behalf of {forWhom}" +
                      (c.DueOn is { } due ? $", due {due:yyyy-MM-dd}" : ""),
            Payload = new { number = c.RegistrationNumber, actedBy = context.Actor, role = context.Staff?.Role.ToString().ToLowerInvariant(), onBehalfOf = forWhom },
        }, ct);
        return c;
    }

    private Task SetOnBehalfOfAsync(CaseDetails c, string name, CancellationToken ct) =>
        uow.ExecuteAsync("UPDATE case_intake SET on_behalf_of = @Name WHERE case_id = @CaseId", new { Name = name, CaseId = c.Id }, ct);
}
