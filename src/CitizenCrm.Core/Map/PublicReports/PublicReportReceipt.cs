using System.Security.Cryptography;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Map.PublicReports;

/// <summary>
/// What the map page shows after sending: the registration number, the term and the link to follow the report.
/// No token and no personal data: the answer may sit in a browser's history or a shared screen.
/// </summary>
public sealed record PublicReportReceipt(
    string Id, string RegistrationNumber, DateOnly RegisteredOn, DateOnly? DueOn, string Url,
    int Photos, int PhotosAwaitingReview, bool Public)
{
    public static PublicReportReceipt Of(IncidentReport r) => new(
        r.ServiceRequestId, r.RegistrationNumber, r.RegisteredOn, r.DueOn, $"/map/r/{r.ServiceRequestId}",
        r.Photos.Count, r.Photos.Count(p => !p.Public), r.Public);
}

/// <summary>
/// The answer a bot gets when it fills the map page's hidden honeypot field ('website'), as the web form does
/// (SubmitWebRequest): shaped like a real receipt, with a number nobody holds, so the bot learns nothing. It writes
/// nothing, hence a query.
/// </summary>
public sealed record GetDecoyReportReceipt(int Photos) : IQuery<PublicReportReceipt>;

public sealed class GetDecoyReportReceiptHandler(DeadlineCalendar calendar, TimeProvider clock, ILogger<GetDecoyReportReceiptHandler> logger)
    : IQueryHandler<GetDecoyReportReceipt, PublicReportReceipt>
{
    public async ValueTask<PublicReportReceipt> Handle(GetDecoyReportReceipt query, CancellationToken ct)
    {
        logger.LogInformation("A map page report filled the hidden honeypot field: answered as accepted, nothing registered");
        var today = Calendar.Today(clock);
        var number = RandomNumberGenerator.GetInt32(1, 10_000);
        var id = ServiceRequestIds.Of(today.Year, number);
        var due = await calendar.DueOnAsync(today, Deadlines.PetitionDays, ct);
        return new PublicReportReceipt(id, $"{number}/{today.Year}", today, due, $"/map/r/{id}", query.Photos, query.Photos, true);
    }
}
