using CitizenCrm.Ivr.Scripts;

namespace CitizenCrm.Tests.Phone;

public class ScriptLoaderTests
{
    private string _folder = null!;

    private static string RepositoryScripts
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
            return Path.Combine(dir.FullName, "ivr-scripts");
        }
    }

    [SetUp]
    public void CopyScripts()
    {
        _folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "scripts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        foreach (var f in Directory.GetFiles(RepositoryScripts, "*.yaml")) File.Copy(f, Path.Combine(_folder, Path.GetFileName(f)));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    private void Edit(string file, string from, string to)
    {
        var path = Path.Combine(_folder, file);
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain(from));
        File.WriteAllText(path, text.Replace(from, to));
    }

    private static int LineOf(string path, string text) => File.ReadAllLines(path).ToList().FindIndex(l => l.Contains(text)) + 1;

    [Test]
    public void The_shipped_scripts_are_valid_in_all_three_languages()
    {
        var script = ScriptLoader.Load(RepositoryScripts);
        Assert.That(script.States.Keys, Does.Contain("main_menu").And.Contain("survey"));
        foreach (var language in IvrScript.Languages) Assert.That(script.Text(language, "greeting"), Is.Not.Empty);
    }

    [Test]
    public void A_transition_to_an_unknown_state_is_reported_with_file_and_line()
    {
        Edit("flow.yaml", "\"2\": fines", "\"2\": finez");
        var ex = Assert.Throws<ScriptException>(() => ScriptLoader.Load(_folder))!;
        var line = LineOf(Path.Combine(_folder, "flow.yaml"), "\"2\": finez");
        Assert.That(ex.Problems, Has.Some.EqualTo($"flow.yaml:{line}: state 'main_menu', outcome '2': goes to unknown state 'finez'."));
        Assert.That(ex.Problems, Has.Some.Contains("state 'fines' can never be reached"));
    }

    [Test]
    public void An_unknown_action_a_missing_translation_and_an_unknown_variable_are_each_reported()
    {
        Edit("flow.yaml", "action: tell_fines", "action: tell_jokes");
        Edit("prompts.hu.yaml", "fines_none: \"Nincs kifizetetlen bírsága.\"\n", "");
        Edit("prompts.en.yaml", "You owe {total}.", "You owe {totl}.");
        var ex = Assert.Throws<ScriptException>(() => ScriptLoader.Load(_folder))!;
        Assert.That(ex.Problems, Has.Some.Matches(@"^flow\.yaml:\d+: state 'fines': unknown action 'tell_jokes'"));
        Assert.That(ex.Problems, Has.Some.Matches(@"^flow\.yaml:\d+: prompt 'fines_none' is missing in prompts\.hu\.yaml\."));
        Assert.That(ex.Problems, Has.Some.Matches(@"^prompts\.en\.yaml:\d+: prompt 'taxes_total' uses \{totl\}"));
    }

    [Test]
    public void A_dead_end_and_a_yaml_syntax_error_are_reported()
    {
        Edit("flow.yaml", "      open: { say: [transfer], goto: queue }\n", "");
        var ex = Assert.Throws<ScriptException>(() => ScriptLoader.Load(_folder))!;
        Assert.That(ex.Problems, Has.Some.Contains("state 'operator' has no transition for 'open'"));

        File.AppendAllText(Path.Combine(_folder, "prompts.ro.yaml"), "broken: \"unterminated\n");
        ex = Assert.Throws<ScriptException>(() => ScriptLoader.Load(_folder))!;
        Assert.That(ex.Problems, Has.Some.Matches(@"^prompts\.ro\.yaml:\d+: "));
    }

    [Test]
    public void Too_many_is_accepted_on_a_menu_and_refused_on_a_state_that_runs_an_action()
    {
        Edit("flow.yaml", "      owed: { say: [fines_total, fines_details], goto: after_answer }\n",
            "      owed: { say: [fines_total, fines_details], goto: after_answer }\n      too_many: goodbye\n");
        var ex = Assert.Throws<ScriptException>(() => ScriptLoader.Load(_folder))!;
        Assert.That(ex.Problems, Has.Some.Matches(@"^flow\.yaml:\d+: state 'fines': 'too_many' is not an outcome this state can have"));
        Assert.That(ScriptLoader.Load(RepositoryScripts).States["closed_menu"].On["too_many"].Goto, Is.EqualTo("goodbye"));
    }
}
