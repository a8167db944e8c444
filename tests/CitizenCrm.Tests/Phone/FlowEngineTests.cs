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
        Assert.That(askCnp.Say.Single().Text, Is.EqualTo("Please key in your personal numeric code, followed by the hash key."));

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
        Assert.That(a.Say[0].Text, Is.EqualTo("Elnézést, nem értettük."));
        Assert.That(a.State.Repeats, Is.EqualTo(1));
    }

    [Test]
    public void Wrong_keys_forever_at_the_closed_desk_menu_end_the_call_within_three_turns()
    {
        var engine = Engine();
        var state = new CallState { State = "closed_menu", Language = "en" };
        Step step = null!;
        var turns = 0;
        do { step = engine.Step(state, new CallerInput.Keys("7")); state = step.State; turns++; }
        while (step.End is null && turns < 50);
        Assert.That(turns, Is.EqualTo(3));
        Assert.That(step.End, Is.EqualTo("hangup"));
        Assert.That(step.Say.Select(u => u.Text), Is.EqualTo(new[] { "Sorry, we could not take your choice. Please call again later.", "Goodbye." }));
    }

    [Test]
    public void However_the_flow_loops_nine_wrong_answers_in_a_call_end_it_with_goodbye()
    {
        // Two wrong keys at the main menu, then "9" (a valid key that starts the menu over), again and again: the menu's own
        // count of three in a row is never reached, but the call's count is.
        var engine = Engine();
        var state = new CallState { State = "main_menu", Language = "ro", CitizenId = Guid.NewGuid() };
        Step step = null!;
        var wrong = 0;
        for (var turn = 0; turn < 100 && step?.End is null; turn++)
        {
            var input = turn % 3 == 2 ? new CallerInput.Keys("9") : new CallerInput.Keys("7");
            if (input.Digits == "7") wrong++;
            step = engine.Step(state, input);
            state = step.State;
        }
        Assert.That(wrong, Is.EqualTo(FlowEngine.MaxStrikesPerCall));
        Assert.That(step.End, Is.EqualTo("hangup"));
        Assert.That(step.Say.Select(u => u.Text), Is.EqualTo(new[]
            { "Ne pare rău, nu am putut prelua alegerea dumneavoastră. Vă rugăm să sunați din nou mai târziu.", "La revedere." }));
    }
}
