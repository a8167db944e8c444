using BenchmarkDotNet.Attributes;
using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Engine;
using CitizenCrm.Ivr.Scripts;
using CitizenCrm.Ivr.Twiml;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Bench.InProcess.Micro;

/// <summary>
/// One phone turn's pure work, with the shipped scripts: the flow engine's step (the baseline) and the same step
/// rendered to TwiML with the Twilio library's VoiceResponse, as every webhook answer is.
/// </summary>
[MemoryDiagnoser]
public class PhoneTurnBenchmarks
{
    private FlowEngine _engine = null!;
    private TwimlRenderer _renderer = null!;
    private IvrScript _script = null!;
    private CallState _atLanguageMenu = null!;
    private readonly CallerInput _pressOne = new CallerInput.Keys("1");

    [GlobalSetup]
    public void Setup()
    {
        var options = new PhoneOptions { PublicBaseUrl = "https://crm.example.org" };
        _script = new ScriptStore(Options.Create(options), NullLogger<ScriptStore>.Instance).Current;
        _engine = new FlowEngine(_script);
        _renderer = new TwimlRenderer(options);
        _atLanguageMenu = _engine.Begin(new CallState { Language = "ro" }).State;
    }

    [Benchmark(Baseline = true, Description = "engine step (a key pressed at the first menu)")]
    public Step EngineStep() => _engine.Step(_atLanguageMenu, _pressOne);

    [Benchmark(Description = "engine step + TwiML render")]
    public string StepAndRender() => _renderer.Render(_engine.Step(_atLanguageMenu, _pressOne), 3, _script);

    [Benchmark(Description = "greeting: engine begin + TwiML render")]
    public string Greeting() => _renderer.Render(_engine.Begin(new CallState { Language = "ro" }), 2, _script);
}
