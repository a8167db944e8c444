using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace CitizenCrm.Core.Common;

/// <summary>
/// Refuses invisible control characters in every text field of every request, once, in the validation step:
/// NUL, the ANSI escape (ESC, U+001B) that repaints a log viewer's terminal, the other C0 controls, DEL and the
/// C1 controls (U+0080–U+009F, which appear when Windows-1250 text is pasted as Latin-1), and broken UTF-16
/// (a lone surrogate). They cannot be seen, are never typed on purpose, and once written into the append-only
/// timeline they stay there. Tab, CR and LF are allowed only in free text where several lines make sense.
/// Source: Unicode 15, chapter 23.1 ("Control Codes"), and the C0/C1 sets of ISO/IEC 6429.
/// </summary>
public static class ControlCharacters
{
    /// <summary>Text of several lines: a description, notes, an answer, an address (a contact's details), a revenue CSV export, an e-mail template.</summary>
    private static readonly IReadOnlySet<string> MultiLineFields = new HashSet<string>(StringComparer.Ordinal)
        { "Description", "Notes", "Note", "Text", "Address", "Details", "ContactDetails", "Reason", "Csv",
          "Body" /* a notification template's e-mail text */ };

    private const int MaxDepth = 4;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static void Check(object message, Validation v)
    {
        foreach (var p in PropertiesOf(message.GetType()))
            Walk(p.GetValue(message), Camel(p.Name), MultiLineFields.Contains(p.Name), 1, v);
    }

    private static void Walk(object? value, string path, bool multiLine, int depth, Validation v)
    {
        switch (value)
        {
            case null: return;
            case string text:
                if (Find(text, multiLine) is { } at) v.Add(path, Describe(text, at, multiLine));
                return;
            case byte[]: return; // a document's bytes are checked by their own rules
            case IEnumerable items when depth < MaxDepth:
                var i = 0;
                foreach (var item in items) Walk(item, $"{path}[{i++}]", multiLine, depth + 1, v);
                return;
        }
        if (depth >= MaxDepth || !IsOurs(value.GetType())) return;
        foreach (var p in PropertiesOf(value.GetType()))
            Walk(p.GetValue(value), $"{path}.{Camel(p.Name)}", MultiLineFields.Contains(p.Name), depth + 1, v);
    }

    /// <summary>The index of the first refused character, or null when the text is clean.</summary>
    public static int? Find(string text, bool multiLine)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r') { if (!multiLine) return i; continue; }
            if (c < 0x20 || c is >= '\u007F' and <= '\u009F') return i;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return i;
        }
        return null;
    }

    private static string Describe(string text, int at, bool multiLine)
    {
        var c = text[at];
        if (c is '\t' or '\n' or '\r')
            return $"This field takes one line: remove the {(c == '\t' ? "tab" : "line break")} at character {at + 1}.";
        if (char.IsSurrogate(c))
            return $"The text has a broken character at character {at + 1}; retype it.";
        var name = c switch { '\0' => "NUL", '\u001B' => "ESC (an ANSI escape)", '\u007F' => "DEL", _ => $"U+{(int)c:X4}" };
        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var where = multiLine && lineStart > 0
            ? $"line {text.AsSpan(0, at).Count('\n') + 1}, character {at - lineStart + 1}"
            : $"character {at + 1}";
        return $"The text holds an invisible control character ({name}) at {where}; remove it " +
               "(it usually comes from text copied out of another program)" + (multiLine ? ". Tabs and line breaks are fine." : ".");
    }

    private static bool IsOurs(Type type) =>
        !type.IsPrimitive && !type.IsEnum && type.Namespace?.StartsWith("CitizenCrm", StringComparison.Ordinal) == true;

    private static PropertyInfo[] PropertiesOf(Type type) => Properties.GetOrAdd(type, t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null
                    && (p.PropertyType == typeof(string) || !p.PropertyType.IsValueType))
        .ToArray());

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
