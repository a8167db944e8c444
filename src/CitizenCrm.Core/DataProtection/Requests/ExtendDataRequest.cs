using CitizenCrm.Core.Common;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Requests;

/// <summary>
/// GDPR art. 12(3): the one-month term "may be extended by two further months where necessary, taking into account the
/// complexity and number of the requests. The controller shall inform the data subject of any such extension within one
/// month of receipt of the request, together with the reasons for the delay." So: once, by one or two months, while the
/// request is open and its first month has not ended, and the citizen is told, with the reason.
/// </summary>
public sealed record ExtendDataRequest(Guid Id, int? Months, string? Reason) : ICommand<ExtendedDataRequest>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("months", Months, "The number of months") && Months is < 1 or > DataSubjectRequestStore.MaxExtensionMonths)
            v.Add("months", $"The term is extended by 1 or {DataSubjectRequestStore.MaxExtensionMonths} months (GDPR art. 12(3)).");
        if (v.Required("reason", Reason, "The reason for the extension (the citizen is told it)")) v.MaxLength("reason", Reason, 500, "The reason");
    }
}

/// <summary>
/// The request as extended, and how the citizen is told: by "email" or "sms" (queued, <see cref="NotificationId"/>), or
/// "post" when the record has neither an e-mail address nor a mobile number (<see cref="Message"/> says so).
/// </summary>
public sealed record ExtendedDataRequest(DataRequestView Request, string NoticeVia, Guid? NotificationId, string Message);

public sealed class ExtendDataRequestHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, Outbox outbox)
    : ICommandHandler<ExtendDataRequest, ExtendedDataRequest>
{
    public async ValueTask<ExtendedDataRequest> Handle(ExtendDataRequest command, CancellationToken ct)
    {
        var request = await DataSubjectRequestStore.LoadAsync(uow, command.Id, ct);
        if (request.Status != DataSubjectRequestStatuses.Open)
            throw new ConflictException($"This request is {request.Status}: only an open request's term can be extended.", "Request closed");
        if (request.ExtendedTo is { } already)
            throw new ConflictException($"The term of this request was already extended, to {already:yyyy-MM-dd}; the law allows one extension only " +
                                        "(GDPR art. 12(3)). Answer it by then.", "Already extended");
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        if (today > request.DueOn)
            throw new ConflictException($"The first month of this request ended on {request.DueOn:yyyy-MM-dd}. The citizen must be told of an extension " +
                                        "within one month of receipt (GDPR art. 12(3)), so it can no longer be extended: answer it now, it is already late.",
                "Too late to extend");

        var months = command.Months!.Value;
        var reason = command.Reason!.Trim();
        var extendedTo = DataSubjectRequestStore.ExtendedTo(request.ReceivedOn, months);
        var notice = await outbox.ForCitizenAsync(NotificationKinds.RequestExtended, request.CitizenId, (language, name) => new Dictionary<string, string>
        {
            ["name"] = name,
            ["request"] = WhatWasAsked(request.Kind, language),
            ["date"] = TemplateText.Date(request.ReceivedOn, language),
            ["term"] = TemplateText.Date(extendedTo, language),
            ["reason"] = reason,
        }, ct);
        await DataSubjectRequestStore.ExtendAsync(uow, request, months, reason, notice is null ? null : now, now, ct);
        var via = notice?.Channel ?? "post";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "data_request.extended", Channel = Channels.System, CitizenId = request.CitizenId,
            Summary = $"Data-subject request ({RegisterDataRequestHandler.Describe(request.Kind)}) extended by {months} month{(months == 1 ? "" : "s")} " +
                      $"to {extendedTo:yyyy-MM-dd}; " + (notice is null ? "the citizen must be told by post" : $"notice queued by {(via == NotificationChannels.Sms ? "SMS" : "e-mail")}"),
            Payload = new { requestId = request.Id, months, previousDueOn = request.DueOn, extendedTo, reason, noticeVia = via, notificationId = notice?.Id },
            Facts = new { request.Kind, months },
        }, ct);
        var message = notice is null
            ? $"Extended to {extendedTo:yyyy-MM-dd}. The citizen has no e-mail address or mobile number on record: tell them by post, with the reason, " +
              $"by {request.DueOn:yyyy-MM-dd} (GDPR art. 12(3))."
            : $"Extended to {extendedTo:yyyy-MM-dd}. The citizen is told by {(via == NotificationChannels.Sms ? "SMS" : "e-mail")}.";
        return new ExtendedDataRequest(DataRequestView.Of(await DataSubjectRequestStore.LoadAsync(uow, request.Id, ct), today), via, notice?.Id, message);
    }

    /// <summary>What the citizen asked for, as the notice's sentence in their language needs it (see the templates in 0018).</summary>
    internal static string WhatWasAsked(string kind, string language) => (kind, language) switch
    {
        (DataSubjectRequestKinds.Access, "en") => "access to your personal data",
        (_, "en") => "erasure of your personal data",
        (DataSubjectRequestKinds.Access, "hu") => "a személyes adatai megismerésére",
        (_, "hu") => "a személyes adatai törlésére",
        (DataSubjectRequestKinds.Access, _) => "de acces la datele personale",
        _ => "de ștergere a datelor personale",
    };
}
