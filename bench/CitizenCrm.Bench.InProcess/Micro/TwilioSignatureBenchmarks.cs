using BenchmarkDotNet.Attributes;
using CitizenCrm.Ivr;
using Twilio.Security;

namespace CitizenCrm.Bench.InProcess.Micro;

/// <summary>
/// The check every webhook passes first: the Twilio library's RequestValidator on a turn's form (the figure), against
/// the bare HMAC-SHA1 over the same URL and parameters (the baseline, our own signer used by the tests and `call`).
/// Synthetic values only.
/// </summary>
[MemoryDiagnoser]
public class TwilioSignatureBenchmarks
{
    private const string AuthToken = "0123456789abcdef0123456789abcdef";
    private const string Url = "https://crm.example.org/twilio/voice/turn?turn=3";
    private Dictionary<string, string> _form = null!;
    private string _signature = null!;
    private RequestValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = "AC00000000000000000000000000000000",
            ["ApiVersion"] = "2010-04-01",
            ["CallSid"] = "CA00000000000000000000000000000001",
            ["CallStatus"] = "in-progress",
            ["Called"] = "+40000000000",
            ["Caller"] = "+40000000001",
            ["Digits"] = "1",
            ["Direction"] = "inbound",
            ["FinishedOnKey"] = "",
            ["From"] = "+40000000001",
            ["To"] = "+40000000000",
            ["msg"] = "Gather End",
        };
        _signature = TwilioSignature.Compute(AuthToken, Url, _form);
        _validator = new RequestValidator(AuthToken);
        if (!_validator.Validate(Url, _form, _signature)) throw new InvalidOperationException("The signature does not validate.");
    }

    [Benchmark(Baseline = true, Description = "HMAC-SHA1 of URL + sorted form (our signer)")]
    public string Sign() => TwilioSignature.Compute(AuthToken, Url, _form);

    [Benchmark(Description = "Twilio RequestValidator.Validate (what the webhook filter runs)")]
    public bool Validate() => _validator.Validate(Url, _form, _signature);
}
