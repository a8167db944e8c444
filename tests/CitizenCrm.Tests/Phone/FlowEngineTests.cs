using CitizenCrm.Ivr.Engine;
using CitizenCrm.Ivr.Scripts;

namespace CitizenCrm.Tests.Phone;

/// <summary>The engine alone: no database, no HTTP, no clock.</summary>
public class FlowEngineTests
{
    private static FlowEngine Engine()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        return new FlowEngine(ScriptLoader.Load(Path.Combine(dir.FullName, "ivr-scripts")));
    }

    [Test]
    public void The_engine_asks_for_data_it_needs_and_resumes_with_the_outcome()
    {
        var engine = Engine();
        var greeting = engine.Begin(new CallState { Language = "ro" });
        Assert.That(greeting.State.State, Is.EqualTo("greeting"));
        Assert.That(greeting.Gather!.Digits, Is.EqualTo(1));

        var askCnp = engine.Step(greeting.State, new CallerInput.Keys("2"));
        Assert.That(askCnp.State.Language, Is.EqualTo("en"));
        Assert.That(askCnp.Say.Single().Text, Does.StartWith("Please type your personal numeric code"));

        var pending = engine.Step(askCnp.State, new CallerInput.Keys("1850301011234"));
        Assert.That(pending.Pending!.Action, Is.EqualTo("take_cnp"), "the engine does not look anything up itself");
        Assert.That(pending.Say, Is.Empty);

        var askPin = engine.Resume(new ActionResult("ok", pending.State with { CnpKey = "k" }));
        Assert.That(askPin.State.State, Is.EqualTo("ask_pin"));
        Assert.That(askPin.State.CnpKey, Is.EqualTo("k"));
    }

    [Test]
    public void The_same_state_and_input_always_give_the_same_step()
    {
        var engine = Engine();
        var state = new CallState { State = "main_menu", Language = "hu", CitizenId = Guid.NewGuid() };
        var a = engine.Step(state, new CallerInput.Garbage());
        var b = engine.Step(state, new CallerInput.Garbage());
        Assert.That(a.State, Is.EqualTo(b.State));
        Assert.That(a.Say.Select(u => u.Text), Is.EqualTo(b.Say.Select(u => u.Text)));
        Assert.That(a.Say[0].Text, Is.EqualTo("Elnézést, nem értettem."));
        Assert.That(a.State.Repeats, Is.EqualTo(1));
    }
}
