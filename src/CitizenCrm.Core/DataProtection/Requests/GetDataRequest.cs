using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Requests;

public sealed record GetDataRequest(Guid Id) : IQuery<DataRequestView>;

public sealed class GetDataRequestHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetDataRequest, DataRequestView>
{
    public async ValueTask<DataRequestView> Handle(GetDataRequest query, CancellationToken ct) =>
        DataRequestView.Of(await DataSubjectRequestStore.LoadAsync(uow, query.Id, ct), Calendar.Today(clock));
}
