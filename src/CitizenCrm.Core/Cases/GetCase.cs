using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>One case with its party, deadline as of today (Bucharest), assignment and answer.</summary>
public sealed record GetCase(Guid CaseId) : IPersonalDataQuery<CaseDetails>;

public sealed class GetCaseHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetCase, CaseDetails>
{
    public async ValueTask<CaseDetails> Handle(GetCase query, CancellationToken ct) =>
        (await CaseStore.LoadAsync(uow, query.CaseId, ct)).ToDetails(Calendar.Today(clock));
}
