using System.Net;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Dispatch;

/// <summary>The dispatchers' "assign to" list: active staff who work cases, without the admins' account details.</summary>
public sealed class DispatchAssigneesTests : DispatchTest
{
    [Test]
    public async Task A_dispatcher_lists_the_active_clerks_dispatchers_and_supervisors_by_department()
    {
        var passwords = App.Services.GetRequiredService<StaffPasswords>();
        await App.Send(new CreateStaffUser("ana.urban", "Ana Urbanism", "clerk", passwords.Hash(CrmTestApp.Password), "ana@primarie.ro", "Urbanism"));
        await App.Send(new CreateStaffUser("dan.taxe", "Dan Taxe", "supervisor", passwords.Hash(CrmTestApp.Password), null, "Taxe locale"));
        var gone = await App.Send(new CreateStaffUser("ion.plecat", "Ion Plecat", "clerk", passwords.Hash(CrmTestApp.Password), null, "Urbanism"));
        await App.Send(new SetStaffUserDisabled(gone.Id, true));
        await App.Send(new CreateStaffUser("root2", "Admin Doi", "admin", passwords.Hash(CrmTestApp.Password)));

        var response = await Dispatcher.GetAsync("/api/dispatch/assignees");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var staff = JsonDocument.Parse(body).RootElement.GetProperty("staff").EnumerateArray()
            .Select(s => $"{s.GetProperty("username").GetString()}|{s.GetProperty("displayName").GetString()}|{s.GetProperty("role").GetString()}|{s.GetProperty("department").GetString()}")
            .ToList();
        Assert.That(staff, Is.EqualTo(new[]
        {
            "dan.taxe|Dan Taxe|supervisor|Taxe locale",
            "ana.urban|Ana Urbanism|clerk|Urbanism",
            "test-clerk|Test Clerk|clerk|",
            "test-dispatcher|Test Dispatcher|dispatcher|",
        }));
        Assert.That(body, Does.Not.Contain("ana@primarie.ro"), "no e-mail: only what choosing a person needs");
    }

    [Test]
    public async Task A_clerk_may_not_list_whom_work_goes_to()
    {
        var response = await Clerk.GetAsync("/api/dispatch/assignees");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
