namespace CitizenCrm.Core.Common;

/// <summary>Requests that check their own fields, once, at the edge of the core.</summary>
public interface IValidatable
{
    void Validate(Validation v);
}

/// <summary>Collects field errors; the pipeline throws them all at once so the clerk fixes everything in one go.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Required(string field, string? value, string label)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        Add(field, $"{label} is required.");
        return false;
    }

    public bool Required<T>(string field, T? value, string label) where T : struct
    {
        if (value is not null) return true;
        Add(field, $"{label} is required.");
        return false;
    }

    public void MaxLength(string field, string? value, int max, string label)
    {
        if (value is not null && value.Length > max) Add(field, $"{label} must be at most {max} characters.");
    }

    /// <summary>
    /// Dates a person may filter by. Outside this window a date is a typo (0001-01-01, 9999-12-31) and would
    /// overflow the conversion of a Bucharest day into UTC instants; inside it, an empty result is an honest answer.
    /// </summary>
    public static readonly DateOnly EarliestFilterDate = new(1900, 1, 1), LatestFilterDate = new(2200, 12, 31);

    public void DateWithinReason(string field, DateOnly? value, string label)
    {
        if (value is { } d && (d < EarliestFilterDate || d > LatestFilterDate))
            Add(field, $"{label} must be between {EarliestFilterDate:yyyy-MM-dd} and {LatestFilterDate:yyyy-MM-dd}; {d:yyyy-MM-dd} looks like a typo.");
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
