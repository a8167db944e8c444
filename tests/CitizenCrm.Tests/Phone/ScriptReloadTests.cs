using System.Net;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Phone;

public class ScriptReloadTests : PhoneCallTest
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "reload-" + Guid.NewGuid().ToString("N"));

    protected override Dictionary<string, string?> ExtraSettings
    {
        get
        {
            Directory.CreateDirectory(Folder);
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
            foreach (var f in Directory.GetFiles(Path.Combine(dir.FullName, "ivr-scripts"), "*.yaml"))
                File.Copy(f, Path.Combine(Folder, Path.GetFileName(f)), overwrite: true);
            return new() { ["Phone:ScriptsFolder"] = Folder };
        }
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(Folder, recursive: true);

    [Test]
    public async Task Admin_changes_a_prompt_without_a_rebuild_and_a_bad_edit_is_refused_while_the_last_good_scripts_serve()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var ro = Path.Combine(Folder, "prompts.ro.yaml");
        File.WriteAllText(ro, File.ReadAllText(ro).Replace("Bună ziua, ați sunat la Primăria Alba Iulia.", "Bună ziua, aici Primăria Municipiului Alba Iulia."));
        var ok = await admin.PostAsync("/api/phone/scripts/reload", null);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
        Assert.That((await NewCall().Dial()).Text, Does.StartWith("Bună ziua, aici Primăria Municipiului Alba Iulia."));

        File.WriteAllText(ro, File.ReadAllText(ro).Replace("goodbye: \"La revedere.\"\n", ""));
        var refused = await admin.PostAsync("/api/phone/scripts/reload", null);
        var problem = await refused.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("scripts")[0].GetString(), Does.Contain("'goodbye'").And.Contain("prompts.ro.yaml"));
        Assert.That((await NewCall().Dial()).Text, Does.StartWith("Bună ziua, aici Primăria Municipiului Alba Iulia."), "the last good scripts keep serving");
    }
}
