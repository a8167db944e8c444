using System.Text.RegularExpressions;

namespace CitizenCrm.Ivr.Scripts;

/// <summary>A loaded, checked set of flows and prompts. Immutable: a reload swaps the whole object.</summary>
public sealed record IvrScript(
    string Start,
    string Fallback,
    IReadOnlyDictionary<string, FlowState> States,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Prompts)   // language -> key -> text
{
    public static readonly string[] Languages = ["ro", "en", "hu"];

    public string Text(string language, string key, IReadOnlyDictionary<string, string>? vars = null)
    {
        var text = Prompts[Languages.Contains(language) ? language : "ro"][key];
        if (vars is null || !text.Contains('{')) return text;
        foreach (var (name, value) in vars)
        {
            // Hungarian: "a"/"az" before a variable agrees with the value's first sound ("az egy", "a kettő").
            if (language == "hu")
                text = Regex.Replace(text, @"\b([Aa]z?) \{" + Regex.Escape(name) + @"\}",
                    m => Speech.SpeechFormat.HungarianArticle(m.Groups[1].Value, value) + " {" + name + "}");
            // A Hungarian date ends with its ordinal dot ("november 15."): no second dot when the sentence ends there.
            if (value.EndsWith('.')) text = text.Replace("{" + name + "}.", value, StringComparison.Ordinal);
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>"1: taxe, impozit; 2: amenzi" -> option per spoken word, and the words as Twilio hints.</summary>
    public (IReadOnlyDictionary<string, string> WordToKey, string Hints) SpeechChoices(string language, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in Text(language, key).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = option.IndexOf(':');
            if (colon <= 0) continue;
            var digit = option[..colon].Trim();
            foreach (var word in option[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                map[word] = digit;
        }
        return (map, string.Join(", ", map.Keys));
    }
}

public sealed record FlowState(
    string Name,
    int Line,
    IReadOnlyList<string> Say,
    GatherSpec? Gather,
    string? Action,
    string? End,
    IReadOnlyDictionary<string, Transition> On);

/// <summary>What the caller may type (or say) in this state. CNP and PIN states never take speech.</summary>
public sealed record GatherSpec(int? Digits, string? FinishOnKey, int? MaxDigits, int Timeout, string? SpeechPromptKey);

public sealed record Transition(string Goto, IReadOnlyList<string> Say, string? Language, string? Reason, int Line);

/// <summary>What the code knows: actions with their outcomes, ends, and the variables prompts may use.</summary>
public static class ScriptVocabulary
{
    public static readonly IReadOnlyDictionary<string, string[]> Actions = new Dictionary<string, string[]>
    {
        ["take_cnp"] = ["ok", "invalid_cnp", "too_many", "no_input"],
        ["verify_pin"] = ["verified", "failed", "too_many", "no_input"],
        ["tell_taxes"] = ["owed", "nothing"],
        ["tell_fines"] = ["owed", "nothing"],
        ["case_by_number"] = ["found", "not_found", "invalid", "no_input"],
        ["list_cases"] = ["some", "none"],
        ["check_hours"] = ["open", "closed", "holiday", "day_off"],
        ["request_callback"] = ["done"],
        ["save_message"] = ["saved", "empty"],
        ["survey_score"] = ["thanks", "invalid", "no_input"],
    };

    /// <summary>Outcomes of an end verb when it has no action: the queue's result, the recording's.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Ends = new Dictionary<string, string[]>
    {
        ["hangup"] = [],
        ["enqueue"] = ["left", "ended"],
        ["record"] = ["recorded", "empty"],
    };

    public static readonly IReadOnlySet<string> Variables = new HashSet<string>
        { "name", "total", "count", "details", "number", "status", "due", "due_on", "due_until", "date", "date_of", "amount", "kind", "what", "hours", "holiday" };

    /// <summary>An outcome a menu (a state that gathers and runs no action) may list: where its repeated silences or wrong keys lead.</summary>
    public const string TooMany = "too_many";

    /// <summary>Prompts the code itself speaks (items of lists, status words, the apology).</summary>
    public static readonly string[] CodePrompts =
    [
        "tax_item", "tax_due", "tax_discount", "tax_increase", "tax_kind_building", "tax_kind_land", "tax_kind_vehicle", "tax_kind_other",
        "fine_item", "fine_half", "fine_half_applied", "fine_half_rest", "fine_one", "fine_many", "case_due", "case_late", "case_answered", "case_item", "case_item_late",
        "case_one", "case_many", "request_one", "request_many", "case_kind_petition", "case_kind_information_request", "case_kind_service_request",
        "status_registered", "status_assigned", "status_in_progress", "status_answered", "status_closed", "status_forwarded",
        "status_joined", "status_filed", "status_rejected", "queue_wait", "sorry", "call_again_later", "unknown_call", "goodbye", "too_many_tries",
    ];

    public static readonly IReadOnlySet<string> StateKeys = new HashSet<string> { "say", "gather", "action", "end", "on" };
    public static readonly IReadOnlySet<string> GatherKeys = new HashSet<string> { "digits", "finish_on_key", "max_digits", "timeout", "speech" };
    public static readonly IReadOnlySet<string> TransitionKeys = new HashSet<string> { "goto", "say", "language", "reason" };
}
