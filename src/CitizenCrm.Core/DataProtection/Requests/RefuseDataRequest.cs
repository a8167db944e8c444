using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Requests;

/// <summary>
/// A request refused, with the reason the citizen is told: manifestly unfounded or excessive, in particular repetitive
/// (GDPR art. 12(5)), or an erasure the law does not allow (art. 17(3)). The city hall bears the burden of showing it,
/// so the reason is required and kept. The written answer to the citizen gives the reason and tells them they may
/// complain to the supervisory authority (ANSPDCP) and go to court (art. 12(4)).
/// </summary>
public sealed record RefuseDataRequest(Guid Id, string? Reason) : ICommand<DataRequestView>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for the refusal (the citizen is told it)")) v.MaxLength("reason", Reason, 1000, "The reason");
    }
}

public sealed class RefuseDataRequestHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<RefuseDataRequest, DataRequestView>
{
    public async ValueTask<DataRequestView> Handle(RefuseDataRequest command, CancellationToken ct)
    {
        var request = await DataSubjectRequestStore.LoadAsync(uow, command.Id, ct);
        if (request.Status != DataSubjectRequestStatuses.Open)
            throw new ConflictException($"This request is {request.Status} already: only an open request can be refused.", "Request closed");
        var now = clock.GetUtcNow();
        var reason = command.Reason!.Trim();
        await DataSubjectRequestStore.FinishAsync(uow, request.Id, DataSubjectRequestStatuses.Refused, "Refused: " + reason, context.Actor, now, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "data_request.refused", Channel = Channels.System, CitizenId = request.CitizenId,
            Summary = $"Data-subject request ({RegisterDataRequestHandler.Describe(request.Kind)}) received on {request.ReceivedOn:yyyy-MM-dd} refused",
            Payload = new { requestId = request.Id, reason },
            Facts = new { request.Kind },
        }, ct);
        return DataRequestView.Of(await DataSubjectRequestStore.LoadAsync(uow, request.Id, ct), Calendar.LocalDate(now));
    }
}
