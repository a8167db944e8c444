namespace CitizenCrm.Core.Common;

public enum StaffRole { Clerk, Dispatcher, Supervisor, Admin, Volunteer }

/// <summary>How a scope's answers show CNPs and phone numbers (see DataProtection/Masking).</summary>
public enum NumberDisclosure { Internal, Masked, Revealed }

public sealed record StaffIdentity(Guid UserId, string Username, StaffRole Role);

/// <summary>
/// Who is asking and how, for one scope (an HTTP request, a phone turn, a job run).
/// Filled by the host before the mediator is called; read by the pipeline and the timeline.
/// </summary>
public sealed class RequestContext
{
    public StaffIdentity? Staff { get; set; }

    /// <summary>Actor written on the timeline when no staff member is signed in: "system", "ivr", ...</summary>
    public string SystemActor { get; set; } = "system";

    public string Actor => Staff?.Username ?? SystemActor;

    /// <summary>The client's Idempotency-Key header, if any.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Route or job name, written on audit rows.</summary>
    public string Endpoint { get; set; } = "internal";

    public string? ClientAddress { get; set; }

    /// <summary>Set by the idempotency step when a stored result was replayed instead of running again.</summary>
    public bool Replayed { get; set; }

    /// <summary>
    /// Whether CNPs and phone numbers leave masked (the staff API's default), whole because the caller asked
    /// (?reveal=true, audited apart), or whole because no person reads them here (a job, the phone robot, the CLI).
    /// </summary>
    public NumberDisclosure Disclosure { get; set; } = NumberDisclosure.Internal;

    /// <summary>A scheduled job's scope: its changes are the system's, and its audit rows name the job.</summary>
    public void ActAsJob(string jobName)
    {
        SystemActor = "system";
        Endpoint = "job:" + jobName;
    }
}
