using CitizenCrm.Core.Common;
using CitizenCrm.Server.Hosting;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The scheduled jobs, for admins: each with its last and next run; run one now, pause or resume its schedule.</summary>
public static class JobEndpoints
{
    public static void MapJobEndpoints(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");

        jobs.MapGet("/", async (JobBoard board, CancellationToken ct) => Results.Ok(await board.ListAsync(ct)))
            .Produces<IReadOnlyList<JobStatus>>().AllowRoles(StaffRole.Admin);

        // Waits for the run and answers with its record; a run still going after a minute gets 202 (it goes on).
        jobs.MapPost("/{name}/run", async (string name, JobBoard board, CancellationToken ct) =>
        {
            if (Jobs.Find(name) is not { } d) return Unknown(name);
            var run = await board.RunNowAsync(d, ct);
            return run is null
                ? Results.Accepted($"/api/jobs", await board.StatusAsync(d, ct))
                : Results.Ok(run);
        }).Produces<JobRun>().Produces<JobStatus>(StatusCodes.Status202Accepted).AllowRoles(StaffRole.Admin);

        jobs.MapPost("/{name}/pause", async (string name, JobBoard board, CancellationToken ct) =>
        {
            if (Jobs.Find(name) is not { } d) return Unknown(name);
            await board.PauseAsync(d, ct);
            return Results.Ok(await board.StatusAsync(d, ct));
        }).Produces<JobStatus>().AllowRoles(StaffRole.Admin);

        jobs.MapPost("/{name}/resume", async (string name, JobBoard board, CancellationToken ct) =>
        {
            if (Jobs.Find(name) is not { } d) return Unknown(name);
            await board.ResumeAsync(d, ct);
            return Results.Ok(await board.StatusAsync(d, ct));
        }).Produces<JobStatus>().AllowRoles(StaffRole.Admin);
    }

    private static IResult Unknown(string name) => Results.Problem(statusCode: 404, title: "Unknown job",
        detail: $"There is no job with this name. The jobs are: {string.Join(", ", Jobs.All.Select(j => j.Name))}.");
}
