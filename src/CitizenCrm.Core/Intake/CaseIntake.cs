using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Intake;

/// <summary>How a case came in, beyond its channel: who registered it, for whom, from which call, with which access code.</summary>
public sealed record IntakeDetails(string RegisteredBy, string? OnBehalfOf = null, Guid? OnBehalfOfId = null, string? CallSid = null);

/// <summary>
/// The registering step every intake door shares: RegisterCase's own rules and its own handler, run inside the intake
/// command's transaction, then the case_intake row. RegisterCase is not sent through the mediator from here: around a
/// nested send the pipeline would store an Idempotency-Key's result a second time under the same key, and the intake
/// command's commit is the one that counts (its number, its row, its attachments, or none of them).
/// </summary>
public sealed class CaseIntake(UnitOfWork uow, RegisterCaseHandler register, TimeProvider clock)
{
    private const string Insert = """
        INSERT INTO case_intake (case_id, registered_by, on_behalf_of, on_behalf_of_id, call_sid, access_code_hash, created_at)
        VALUES (@CaseId, @RegisteredBy, @OnBehalfOf, @OnBehalfOfId, @CallSid, NULL, @Now)
        """;

    public async Task<CaseDetails> RegisterAsync(RegisterCase command, IntakeDetails details, CancellationToken ct)
    {
        var v = new Validation();
        ControlCharacters.Check(command, v);
        command.Validate(v);
        v.ThrowIfInvalid();
        var c = await register.Handle(command, ct);
        await uow.ExecuteAsync(Insert, new
        {
            CaseId = c.Id, details.RegisteredBy, details.OnBehalfOf, details.OnBehalfOfId, details.CallSid,
            Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        return c;
    }
}
