using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// A dispatcher logs a call as a service request, or as a petition once it is written down and the caller has confirmed
/// it (OG 27/2002 art. 2; RegisterCase holds that rule). With the call's CallSid the case is tied to the call: an
/// event on the call's own timeline names the case, so the call's history and the case meet; and a caller who passed
/// CNP + PIN with the phone robot is the case's party unless the dispatcher names another.
/// </summary>
public sealed record LogPhoneRequest(
    string? Kind,
    string? Service,
    string? Subject,
    string? Description,
    Guid? CitizenId,
    ContactParty? Contact,
    bool WrittenAndConfirmed = false,
    string? CallSid = null) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (CallSid is not null && (CallSid.Length is < 2 or > 64 || !CallSid.All(char.IsAsciiLetterOrDigit)))
            v.Add("callSid", "The call's id is Twilio's CallSid, e.g. CA0123456789abcdef0123456789abcdef (letters and digits).");
    }
}

public sealed class LogPhoneRequestHandler(UnitOfWork uow, CaseIntake intake, Timeline.Timeline timeline, RequestContext context)
    : ICommandHandler<LogPhoneRequest, CaseDetails>
{
    private const string Call = "SELECT citizen_id AS CitizenId, caller_masked AS CallerMasked FROM ivr_calls WHERE call_sid = @CallSid";

    private sealed record CallRow
    {
        public Guid? CitizenId { get; init; }
        public string CallerMasked { get; init; } = "";
    }

    public async ValueTask<CaseDetails> Handle(LogPhoneRequest command, CancellationToken ct)
    {
        CallRow? call = null;
        if (command.CallSid is { } sid && (call = await uow.QuerySingleOrDefaultAsync<CallRow>(Call, new { CallSid = sid }, ct)) is null)
            throw ValidationFailedException.For("callSid", "No call with this CallSid reached the phone robot. Leave callSid out for a call that came another way.");
        // The robot's verified caller is the party when the dispatcher names nobody: CNP + PIN is the identification.
        var citizen = command.CitizenId ?? (command.Contact is null ? call?.CitizenId : null);

        var c = await intake.RegisterAsync(new RegisterCase(
            command.Kind, Channels.Phone, command.Subject, command.Description, citizen, null, command.Contact,
            WrittenAndConfirmed: command.WrittenAndConfirmed, Service: command.Service),
            new IntakeDetails(context.Actor, CallSid: command.CallSid), ct);

        if (command.CallSid is { } callSid)
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "phone.case_logged", Channel = Channels.Phone, Correlation = callSid, CaseId = c.Id, CitizenId = c.Party.CitizenId,
                Summary = $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} logged by a dispatcher from the call of {call!.CallerMasked}" +
                          (c.DueOn is { } due ? $", due {due:yyyy-MM-dd}" : ""),
                Payload = new { number = c.RegistrationNumber, kind = c.Kind, service = c.Category, dueOn = c.DueOn },
            }, ct);
        return c;
    }
}
