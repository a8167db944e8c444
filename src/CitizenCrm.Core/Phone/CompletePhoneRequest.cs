using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

/// <summary>A dispatcher marks a callback made or a message listened to and dealt with.</summary>
public sealed record CompletePhoneRequest(Guid RequestId, string? Note) : ICommand<bool>, IValidatable
{
    public void Validate(Validation v) => v.MaxLength("note", Note, 500, "The note");
}

public sealed class CompletePhoneRequestHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<CompletePhoneRequest, bool>
{
    private const string Find = "SELECT kind AS Kind, citizen_id AS CitizenId, call_sid AS CallSid, handled_at AS HandledAt FROM phone_requests WHERE id = @Id";
    private const string Complete = "UPDATE phone_requests SET handled_at = @At, handled_by = @By, note = @Note WHERE id = @Id AND handled_at IS NULL";

    private sealed record Row
    {
        public string Kind { get; init; } = "";
        public Guid? CitizenId { get; init; }
        public string CallSid { get; init; } = "";
        public long? HandledAt { get; init; }
    }

    public async ValueTask<bool> Handle(CompletePhoneRequest command, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Find, new { Id = command.RequestId }, ct)
            ?? throw new NotFoundException("phone request", command.RequestId);
        if (row.HandledAt is not null) throw new ConflictException("This callback or message was already marked as handled.", "Already handled");
        await uow.ExecuteAsync(Complete, new { At = clock.GetUtcNow().ToUnixTimeMilliseconds(), By = context.Actor, command.Note, Id = command.RequestId }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = row.Kind == PhoneRequestKinds.Message ? "phone.message_handled" : "phone.callback_done",
            Channel = Channels.Phone, CitizenId = row.CitizenId, Correlation = row.CallSid,
            Summary = row.Kind == PhoneRequestKinds.Message ? "Phone message handled by a dispatcher" : "Caller called back by a dispatcher",
            Payload = new { command.RequestId, command.Note },
        }, ct);
        return true;
    }
}
