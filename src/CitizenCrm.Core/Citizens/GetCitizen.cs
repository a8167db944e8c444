using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Citizens;

public sealed record GetCitizen(Guid CitizenId) : IPersonalDataQuery<Citizen>;

public sealed class GetCitizenHandler(UnitOfWork uow) : IQueryHandler<GetCitizen, Citizen>
{
    private const string Sql = "SELECT " + CitizenRow.Columns + " FROM citizens WHERE id = @Id";

    public async ValueTask<Citizen> Handle(GetCitizen query, CancellationToken ct) =>
        (await uow.QuerySingleOrDefaultAsync<CitizenRow>(Sql, new { Id = query.CitizenId }, ct))?.ToCitizen()
        ?? throw new NotFoundException("citizen", query.CitizenId);
}
