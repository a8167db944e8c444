using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A dispatcher corrects what a case is, before it is answered: its kind (petition, public-information request,
/// service request) and, for a service request, its service — with the reason, recorded on the timeline.
///
/// The term is recomputed for the new kind, from the original registration day, because the law counts each term
/// from registration: a petition reclassified as an information request owes its answer within Law 544/2001's 10 days
/// of registration (art. 7(1)), not 10 days from today; an information request reclassified as a petition gets
/// OG 27/2002's 30 days (art. 8) from registration; a service request gets its service's processing days. The
/// registration number stays. A term that has already run out under the new kind shows as overdue: it is not silently
/// extended. An extension given under the old kind (OG 27/2002 art. 9) does not carry over to the new kind.
/// A phone or robot case cannot become a petition here: a petition exists once written and confirmed (OG 27/2002
/// art. 2), so it is registered anew, related to this case.
/// </summary>
public sealed record ReclassifyCase(Guid CaseId, string? Kind, string? Service, string? Reason, int? Version = null)
    : ICommand<DispatchCaseResult>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("kind", Kind, "The new kind (petition, information_request or service_request)") && !CaseKinds.All.Contains(Kind!))
            v.Add("kind", "The kind must be petition, information_request or service_request.");
        if (Kind == CaseKinds.ServiceRequest) v.Required("service", Service, "The service (a catalogue code) of a service request");
        else if (Kind is not null && Service is not null) v.Add("service", "Only a service request is for a catalogue service.");
        v.MaxLength("service", Service, 40, "The service");
        if (v.Required("reason", Reason, "The reason for the change")) v.MaxLength("reason", Reason, 500, "The reason");
    }
}

public sealed class ReclassifyCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, DeadlineCalendar calendar)
    : ICommandHandler<ReclassifyCase, DispatchCaseResult>
{
    private const string ServiceTerms = "SELECT processing_days AS ProcessingDays, channels AS Channels FROM service_categories WHERE code = @Code AND active = 1";
    private const string Update = """
        UPDATE cases SET kind = @Kind, category_code = @Service, term_days = @TermDays, due_on = @DueOn,
                         extended_by_days = NULL, extension_notified_at = NULL, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    private sealed record Terms
    {
        public long ProcessingDays { get; init; }
        public string Channels { get; init; } = "";
    }

    public async ValueTask<DispatchCaseResult> Handle(ReclassifyCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (!c.IsOpen)
            throw new ConflictException($"Case {c.RegistrationNumber} is {c.Status.Replace('_', ' ')}: only a case not yet answered can be reclassified.",
                "Not possible in this status");
        DispatchCases.EnsureVersion(c, command.Version);
        var kind = command.Kind!;
        var service = kind == CaseKinds.ServiceRequest ? command.Service!.Trim().ToLowerInvariant() : null;
        if (kind == c.Kind && service == c.CategoryCode)
            throw new ConflictException($"Case {c.RegistrationNumber} already is {CaseStore.AKind(kind)}{(service is null ? "" : $" for '{service}'")}.", "Nothing to change");
        if (kind == CaseKinds.Petition && c.Channel is Channels.Phone or Channels.Ivr)
            throw new ConflictException($"Case {c.RegistrationNumber} came by phone: a petition counts only once written down and confirmed (OG 27/2002 art. 2). " +
                                        "Register the written, confirmed petition as a new case related to this one (relatedCaseId), and file this one.",
                "Register the petition anew");

        int termDays;
        if (kind == CaseKinds.ServiceRequest)
        {
            var terms = await uow.QuerySingleOrDefaultAsync<Terms>(ServiceTerms, new { Code = service }, ct)
                ?? throw ValidationFailedException.For("service", $"There is no service '{service}' in the catalogue.");
            var accepts = ServiceChannels.Split(terms.Channels);
            if (!accepts.Contains(ServiceChannels.ForCase(c.Channel)))
                throw ValidationFailedException.For("service", $"The service '{service}' cannot be requested by {c.Channel}; it accepts: {string.Join(", ", accepts)}.");
            termDays = (int)terms.ProcessingDays;
        }
        else termDays = kind == CaseKinds.Petition ? Deadlines.PetitionDays : Deadlines.InformationDays;
        var dueOn = await calendar.DueOnAsync(c.RegisteredOn, termDays, ct);

        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Kind = kind, Service = service, TermDays = termDays, DueOn = dueOn, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        var from = CaseStore.KindName(c.Kind).ToLowerInvariant() + (c.CategoryCode is null ? "" : $" ({c.CategoryCode})");
        var to = CaseStore.KindName(kind).ToLowerInvariant() + (service is null ? "" : $" ({service})");
        var recorded = await CaseStore.RecordAsync(timeline, c, "case.reclassified",
            $"Case {c.RegistrationNumber} reclassified from {from} to {to}; term {termDays} days from registration, due {dueOn:yyyy-MM-dd}: {Short(command.Reason!.Trim())}",
            new
            {
                kind, service, previousKind = c.Kind, previousService = c.CategoryCode, termDays, dueOn,
                previousDueOn = c.DueOn, previousTermDays = c.TermDays, reason = command.Reason.Trim(),
            }, ct);
        return await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct);
    }

    // The timeline's summary is one line; the whole reason is in the payload.
    private static string Short(string reason) => reason.Length <= 200 ? reason : reason[..199] + "…";
}
