using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Requests;

/// <summary>
/// A supervisor registers a citizen's request about their own data (access, GDPR art. 15 and 20; erasure, art. 17) on
/// the day it reached the city hall: its term is one month from receipt (art. 12(3)).
/// </summary>
public sealed record RegisterDataRequest(Guid CitizenId, string? Kind, DateOnly? ReceivedOn, string? Channel)
    : ICommand<DataRequestView>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("kind", Kind, "The kind of request") && !DataSubjectRequestKinds.All.Contains(Kind!))
            v.Add("kind", "The kind is 'access' (a copy of the data held) or 'erasure' (deleting it).");
        if (v.Required("channel", Channel, "How the request came in") && !DataRequestChannels.All.Contains(Channel!))
            v.Add("channel", $"The channel is one of: {string.Join(", ", DataRequestChannels.All)}.");
        v.DateWithinReason("receivedOn", ReceivedOn, "The day the request was received");
    }
}

public sealed class RegisterDataRequestHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterDataRequest, DataRequestView>
{
    /// <summary>
    /// How far back a receipt date may go. The longest term the law allows is one month plus two of extension
    /// (art. 12(3)): a request received earlier than that is past any term, so an older date is taken for a typo. A letter
    /// found late is still registered on the day it arrived, and shows as overdue.
    /// </summary>
    public const int MaxMonthsBack = DataSubjectRequestStore.TermMonths + DataSubjectRequestStore.MaxExtensionMonths;

    private const string Citizen = "SELECT erased_at AS ErasedAt FROM citizens WHERE id = @Id";

    internal sealed record CitizenState
    {
        public long? ErasedAt { get; init; }
    }

    /// <summary>The citizen, who must exist and not have been erased.</summary>
    internal static async Task EnsureNotErasedAsync(UnitOfWork uow, Guid citizenId, CancellationToken ct)
    {
        var citizen = await uow.QuerySingleOrDefaultAsync<CitizenState>(Citizen, new { Id = citizenId }, ct)
            ?? throw new NotFoundException("citizen", citizenId);
        if (citizen.ErasedAt is not null)
            throw new ConflictException($"Citizen {citizenId} was erased: nothing personal is held about them any more, so there is nothing " +
                                        "to give or erase. Answer the person in writing that their data was erased, and when (see the erasure record).", "Citizen erased");
    }

    public async ValueTask<DataRequestView> Handle(RegisterDataRequest command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        var receivedOn = command.ReceivedOn ?? today;
        if (receivedOn > today)
            throw ValidationFailedException.For("receivedOn", $"The request cannot have been received after today ({today:yyyy-MM-dd}): give the day it reached the city hall.");
        if (receivedOn < today.AddMonths(-MaxMonthsBack))
            throw ValidationFailedException.For("receivedOn",
                $"{receivedOn:yyyy-MM-dd} is more than {MaxMonthsBack} months ago, past any term the law allows (GDPR art. 12(3)); check the date on the request.");

        await EnsureNotErasedAsync(uow, command.CitizenId, ct);

        var request = await DataSubjectRequestStore.RegisterAsync(uow, command.CitizenId, command.Kind!, receivedOn, command.Channel!, context.Actor, now, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "data_request.registered", Channel = request.Channel, CitizenId = request.CitizenId,
            Summary = $"Data-subject request ({Describe(request.Kind)}) received on {receivedOn:yyyy-MM-dd} by {request.Channel}; due by {request.DueOn:yyyy-MM-dd}",
            Payload = new { requestId = request.Id, request.Kind, receivedOn, dueOn = request.DueOn, request.Channel },
            Facts = new { request.Kind },
        }, ct);
        return DataRequestView.Of(request, today);
    }

    internal static string Describe(string kind) => kind == DataSubjectRequestKinds.Access ? "access, GDPR art. 15" : "erasure, GDPR art. 17";
}
