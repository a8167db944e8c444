using BenchmarkDotNet.Attributes;
using CitizenCrm.Core.Citizens;

namespace CitizenCrm.Bench.InProcess.Micro;

/// <summary>
/// CNP validation as the phone and the registration forms run it. The code checked is synthetic (built here from a
/// date, county 40 and its computed check digit); no real person's number is used or printed.
/// </summary>
[MemoryDiagnoser]
public class CnpBenchmarks
{
    private string _valid = null!;
    private string _badCheckDigit = null!;
    private readonly DateOnly _today = new(2026, 12, 2);

    [GlobalSetup]
    public void Setup()
    {
        var first12 = "185010140123"; // sex/century 1, 1985-01-01, county 40, serial 123
        _valid = first12 + Cnp.CheckDigit(first12);
        _badCheckDigit = first12 + (Cnp.CheckDigit(first12) + 1) % 10;
        if (!Cnp.IsValid(_valid, _today) || Cnp.IsValid(_badCheckDigit)) throw new InvalidOperationException("The synthetic CNPs are not what they should be.");
    }

    [Benchmark(Baseline = true, Description = "CNP well formed (13 digits, date, county, check digit)")]
    public string? WellFormed() => Cnp.Problem(_valid);

    [Benchmark(Description = "CNP valid as of today (birth not in the future)")]
    public string? ValidToday() => Cnp.Problem(_valid, _today);

    [Benchmark(Description = "CNP with a wrong check digit (the clerk's message)")]
    public string? WrongCheckDigit() => Cnp.Problem(_badCheckDigit, _today);
}
