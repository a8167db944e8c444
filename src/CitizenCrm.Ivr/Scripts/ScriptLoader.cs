using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CitizenCrm.Ivr.Scripts;

/// <summary>Every problem found in the scripts, each as "file:line: what is wrong".</summary>
public sealed class ScriptException(IReadOnlyList<string> problems)
    : Exception("The phone scripts have errors:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads ivr-scripts/flow.yaml and prompts.{ro,en,hu}.yaml through YamlDotNet's node model (which keeps each
/// node's line) and checks them as a whole: unknown keys, states, actions, outcomes and variables, dead ends,
/// unreachable states, and prompts missing in one language. Nothing half-checked is ever returned.
/// </summary>
public static partial class ScriptLoader
{
    public const string FlowFile = "flow.yaml";
    public static string PromptFile(string language) => $"prompts.{language}.yaml";

    [GeneratedRegex(@"\{([a-zA-Z_]+)\}")]
    private static partial Regex VariablePattern();

    public static IvrScript Load(string folder, IReadOnlyDictionary<string, string>? promptOverrides = null)
    {
        var problems = new List<string>();
        var prompts = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var promptLines = new Dictionary<string, Dictionary<string, int>>();
        foreach (var language in IvrScript.Languages)
        {
            var (texts, lines) = LoadPrompts(folder, language, problems);
            if (promptOverrides is not null && promptOverrides.TryGetValue(language, out var notice) && !string.IsNullOrWhiteSpace(notice))
                texts["data_protection"] = notice;   // the data-protection notice comes from configuration when set
            prompts[language] = texts;
            promptLines[language] = lines;
        }
        var flow = LoadFlow(folder, problems);
        if (flow is not null) Check(flow.Value.Start, flow.Value.Fallback, flow.Value.States, flow.Value.StartLine, prompts, promptLines, problems);
        if (problems.Count > 0 || flow is null) throw new ScriptException(problems);
        return new IvrScript(flow.Value.Start, flow.Value.Fallback, flow.Value.States, prompts);
    }

    private static YamlMappingNode? ReadRoot(string folder, string file, List<string> problems)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            problems.Add($"{file}: the file is missing from {Path.GetFullPath(folder)}.");
            return null;
        }
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                problems.Add($"{file}:1: expected a mapping of keys to values.");
                return null;
            }
            return root;
        }
        catch (YamlException ex)
        {
            problems.Add($"{file}:{ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}");
            return null;
        }
    }

    private static (Dictionary<string, string>, Dictionary<string, int>) LoadPrompts(string folder, string language, List<string> problems)
    {
        var file = PromptFile(language);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = ReadRoot(folder, file, problems);
        if (root is null) return (texts, lines);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var line = Line(keyNode);
            if (valueNode is not YamlScalarNode { Value: { } text } || string.IsNullOrWhiteSpace(text))
            {
                problems.Add($"{file}:{line}: prompt '{key}' must be a non-empty text.");
                continue;
            }
            foreach (Match m in VariablePattern().Matches(text))
                if (!ScriptVocabulary.Variables.Contains(m.Groups[1].Value))
                    problems.Add($"{file}:{line}: prompt '{key}' uses {{{m.Groups[1].Value}}}, a variable the code does not know (known: {string.Join(", ", ScriptVocabulary.Variables.Order())}).");
            texts[key] = text;
            lines[key] = line;
        }
        return (texts, lines);
    }

    private static (string Start, string Fallback, int StartLine, Dictionary<string, FlowState> States)? LoadFlow(string folder, List<string> problems)
    {
        const string file = FlowFile;
        var root = ReadRoot(folder, file, problems);
        if (root is null) return null;
        string? start = null, fallback = null;
        var startLine = 1;
        var states = new Dictionary<string, FlowState>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = Scalar(keyNode);
            switch (key)
            {
                case "start": start = Scalar(valueNode); startLine = Line(valueNode); break;
                case "fallback": fallback = Scalar(valueNode); break;
                case "states" when valueNode is YamlMappingNode stateNodes:
                    foreach (var (nameNode, stateNode) in stateNodes.Children)
                    {
                        var state = ReadState(Scalar(nameNode), nameNode, stateNode, problems);
                        if (state is not null) states[state.Name] = state;
                    }
                    break;
                default: problems.Add($"{file}:{Line(keyNode)}: unknown key '{key}' (expected start, fallback, states)."); break;
            }
        }
        if (start is null) problems.Add($"{file}:1: 'start' is missing.");
        if (fallback is null) problems.Add($"{file}:1: 'fallback' (where errors and repeated silence lead) is missing.");
        return start is null || fallback is null ? null : (start, fallback, startLine, states);
    }

    private static FlowState? ReadState(string name, YamlNode nameNode, YamlNode node, List<string> problems)
    {
        const string file = FlowFile;
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{file}:{Line(nameNode)}: state '{name}' must be a mapping.");
            return null;
        }
        List<string> say = [];
        GatherSpec? gather = null;
        string? action = null, end = null;
        var on = new Dictionary<string, Transition>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode);
            var line = Line(keyNode);
            switch (key)
            {
                case "say": say = List(value, problems); break;
                case "gather": gather = ReadGather(name, value, problems); break;
                case "action":
                    action = Scalar(value);
                    if (!ScriptVocabulary.Actions.ContainsKey(action))
                        problems.Add($"{file}:{line}: state '{name}': unknown action '{action}' (known: {string.Join(", ", ScriptVocabulary.Actions.Keys)}).");
                    break;
                case "end":
                    end = Scalar(value);
                    if (!ScriptVocabulary.Ends.ContainsKey(end))
                        problems.Add($"{file}:{line}: state '{name}': unknown end '{end}' (known: {string.Join(", ", ScriptVocabulary.Ends.Keys)}).");
                    break;
                case "on" when value is YamlMappingNode transitions:
                    foreach (var (outcomeNode, t) in transitions.Children)
                    {
                        var transition = ReadTransition(name, Scalar(outcomeNode), outcomeNode, t, problems);
                        if (transition is not null) on[Scalar(outcomeNode)] = transition;
                    }
                    break;
                default: problems.Add($"{file}:{line}: state '{name}': unknown key '{key}' (expected {string.Join(", ", ScriptVocabulary.StateKeys)})."); break;
            }
        }
        return new FlowState(name, Line(nameNode), say, gather, action, end, on);
    }

    private static GatherSpec? ReadGather(string state, YamlNode node, List<string> problems)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{FlowFile}:{Line(node)}: state '{state}': 'gather' must be a mapping.");
            return null;
        }
        int? digits = null, maxDigits = null;
        var timeout = 6;
        string? finish = null, speech = null;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode);
            switch (key)
            {
                case "digits": digits = Int(value, problems); break;
                case "max_digits": maxDigits = Int(value, problems); break;
                case "timeout": timeout = Int(value, problems) ?? 6; break;
                case "finish_on_key": finish = Scalar(value); break;
                case "speech": speech = Scalar(value); break;
                default: problems.Add($"{FlowFile}:{Line(keyNode)}: state '{state}': unknown gather key '{key}' (expected {string.Join(", ", ScriptVocabulary.GatherKeys)})."); break;
            }
        }
        return new GatherSpec(digits, finish, maxDigits, timeout, speech);
    }

    private static Transition? ReadTransition(string state, string outcome, YamlNode outcomeNode, YamlNode node, List<string> problems)
    {
        var line = Line(outcomeNode);
        if (node is YamlScalarNode scalar) return new Transition(scalar.Value ?? "", [], null, null, line);
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{FlowFile}:{line}: state '{state}', outcome '{outcome}': expected a state name or {{ goto, say, language, reason }}.");
            return null;
        }
        string? target = null, language = null, reason = null;
        List<string> say = [];
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode);
            switch (key)
            {
                case "goto": target = Scalar(value); break;
                case "say": say = List(value, problems); break;
                case "language": language = Scalar(value); break;
                case "reason": reason = Scalar(value); break;
                default: problems.Add($"{FlowFile}:{Line(keyNode)}: state '{state}', outcome '{outcome}': unknown key '{key}' (expected {string.Join(", ", ScriptVocabulary.TransitionKeys)})."); break;
            }
        }
        if (target is null) problems.Add($"{FlowFile}:{line}: state '{state}', outcome '{outcome}': 'goto' is missing.");
        if (language is not null && !IvrScript.Languages.Contains(language))
            problems.Add($"{FlowFile}:{line}: state '{state}', outcome '{outcome}': unknown language '{language}' (known: ro, en, hu).");
        return new Transition(target ?? "", say, language, reason, line);
    }

    private static void Check(string start, string fallback, Dictionary<string, FlowState> states, int startLine,
        Dictionary<string, IReadOnlyDictionary<string, string>> prompts, Dictionary<string, Dictionary<string, int>> promptLines, List<string> problems)
    {
        const string file = FlowFile;
        if (!states.ContainsKey(start)) problems.Add($"{file}:{startLine}: start state '{start}' does not exist.");
        if (!states.ContainsKey(fallback)) problems.Add($"{file}:{startLine}: fallback state '{fallback}' does not exist.");

        void NeedPrompt(string key, int line)
        {
            var colon = key.IndexOf(':');
            if (colon > 0)
            {
                var fixedLanguage = key[(colon + 1)..];
                key = key[..colon];
                if (!IvrScript.Languages.Contains(fixedLanguage))
                    problems.Add($"{file}:{line}: prompt '{key}:{fixedLanguage}' names an unknown language (known: ro, en, hu).");
            }
            foreach (var language in IvrScript.Languages)
                if (!prompts[language].ContainsKey(key))
                    problems.Add($"{file}:{line}: prompt '{key}' is missing in {PromptFile(language)}.");
        }

        foreach (var s in states.Values)
        {
            foreach (var key in s.Say) NeedPrompt(key, s.Line);
            if (s.Gather?.SpeechPromptKey is { } speech) NeedPrompt(speech, s.Line);
            if (s.Gather is null && s.Action is null && s.End is null)
                problems.Add($"{file}:{s.Line}: state '{s.Name}' is a dead end: it neither gathers, runs an action nor ends.");
            if (s.Gather is not null && s.End is not null)
                problems.Add($"{file}:{s.Line}: state '{s.Name}' cannot both gather and end.");

            // The outcomes this state can produce must each lead somewhere, and nothing else may be listed.
            var expected = new List<string>();
            if (s.Action is not null && ScriptVocabulary.Actions.TryGetValue(s.Action, out var outcomes))
                expected.AddRange(outcomes.Where(o => o != "no_input" || s.Gather is not null));
            else if (s.End is not null && ScriptVocabulary.Ends.TryGetValue(s.End, out var endOutcomes))
                expected.AddRange(endOutcomes);
            if (s.Gather is not null && s.Action is null) expected.AddRange(["no_input", "invalid"]);   // and optionally too_many
            if (s.Gather is not null && !expected.Contains("no_input")) expected.Add("no_input");
            foreach (var outcome in expected.Distinct())
                if (!s.On.ContainsKey(outcome))
                    problems.Add($"{file}:{s.Line}: state '{s.Name}' has no transition for '{outcome}': the call would be stuck there.");
            foreach (var (outcome, t) in s.On)
            {
                var isKey = s.Gather is not null && s.Action is null && outcome.Length == 1 && "0123456789*#".Contains(outcome[0]);
                var isGiveUp = s.Gather is not null && s.Action is null && outcome == ScriptVocabulary.TooMany;
                if (!isKey && !isGiveUp && !expected.Contains(outcome))
                    problems.Add($"{file}:{t.Line}: state '{s.Name}': '{outcome}' is not an outcome this state can have (expected {string.Join(", ", expected.Distinct())}).");
                if (!states.ContainsKey(t.Goto))
                    problems.Add($"{file}:{t.Line}: state '{s.Name}', outcome '{outcome}': goes to unknown state '{t.Goto}'.");
                foreach (var key in t.Say) NeedPrompt(key, t.Line);
            }
        }

        // Reachability from the start (the fallback is reachable from anywhere: errors and silence lead there).
        var seen = new HashSet<string>();
        var todo = new Stack<string>([start, fallback]);
        while (todo.TryPop(out var name))
        {
            if (!seen.Add(name) || !states.TryGetValue(name, out var s)) continue;
            foreach (var t in s.On.Values) todo.Push(t.Goto);
        }
        foreach (var s in states.Values.Where(s => !seen.Contains(s.Name)))
            problems.Add($"{file}:{s.Line}: state '{s.Name}' can never be reached from '{start}'.");

        foreach (var key in ScriptVocabulary.CodePrompts) NeedPrompt(key, 1);
        // A prompt present in one language but not another is a prompt missing in one language.
        foreach (var language in IvrScript.Languages)
            foreach (var (key, line) in promptLines[language])
                foreach (var other in IvrScript.Languages.Where(o => !prompts[o].ContainsKey(key)))
                    problems.Add($"{PromptFile(language)}:{line}: prompt '{key}' has no translation in {PromptFile(other)}.");
    }

    private static string Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : "";
    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static int? Int(YamlNode node, List<string> problems)
    {
        if (int.TryParse(Scalar(node), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        problems.Add($"{FlowFile}:{Line(node)}: expected a whole number, found '{Scalar(node)}'.");
        return null;
    }

    private static List<string> List(YamlNode node, List<string> problems)
    {
        if (node is YamlSequenceNode seq) return seq.Children.Select(Scalar).ToList();
        if (node is YamlScalarNode s && s.Value is { Length: > 0 } one) return [one];
        problems.Add($"{FlowFile}:{Line(node)}: expected a list of prompt names, e.g. [greeting, data_protection].");
        return [];
    }
}
