using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class StaffUserEndpoints
{
    public sealed record NewStaffUserBody(string? Username, string? DisplayName, string? Role, string? Password, string? Email = null, string? Department = null);
    public sealed record NewPasswordBody(string? Password);

    public static void MapStaffUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/staff-users").WithTags("Staff accounts").AllowRoles(StaffRole.Admin);

        users.MapGet("/", async (int? limit, string? cursor, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new ListStaffUsers(limit, cursor), ct))).Produces<StaffUserList>();

        users.MapPost("/", async (NewStaffUserBody body, StaffPasswords passwords, IMediator mediator, CancellationToken ct) =>
        {
            // The password is hashed here, before the command's transaction (SQLite has one writer): check it together with
            // the other fields first, so the admin sees every error at once.
            var check = new Validation();
            new CreateStaffUser(body.Username, body.DisplayName, body.Role, "", body.Email, body.Department).Validate(check);
            passwords.CheckPolicy(check, body.Password);
            check.ThrowIfInvalid();
            var user = await mediator.Send(new CreateStaffUser(body.Username, body.DisplayName, body.Role, passwords.Hash(body.Password!), body.Email, body.Department), ct);
            return Results.Created($"/api/staff-users/{user.Id}", user);
        }).Produces<StaffUser>(StatusCodes.Status201Created);

        users.MapPost("/{id:guid}/disable", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new SetStaffUserDisabled(id, true), ct))).Produces<StaffUser>();

        users.MapPost("/{id:guid}/enable", async (Guid id, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new SetStaffUserDisabled(id, false), ct))).Produces<StaffUser>();

        users.MapPost("/{id:guid}/password", async (Guid id, NewPasswordBody body, StaffPasswords passwords, IMediator mediator, CancellationToken ct) =>
        {
            passwords.CheckPolicy(body.Password);
            return Results.Ok(await mediator.Send(new ResetStaffPassword(id, passwords.Hash(body.Password!)), ct));
        }).Produces<StaffUser>();
    }
}
