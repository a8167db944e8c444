using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace CitizenCrm.Tests.Phone;

/// <summary>
/// Validates the TwiML we emit. Always against OUR schema (twiml-ours.xsd, embedded in this assembly: every verb,
/// attribute and nesting the server uses, typed, anything else refused), so the tests pass on any clone. When
/// Twilio's published schema is beside the repository (../shared/twiml-xsd/, see its PROVENANCE.md; CI has it), the
/// reply is validated against it as well, loaded offline with two known gaps closed in memory (the files stay verbatim).
/// </summary>
public static class TwimlSchema
{
    private const string OursResource = "CitizenCrm.Tests.Phone.twiml-ours.xsd";
    private static readonly Lazy<XmlSchemaSet> OurSchemas = new(LoadOurs);
    private static readonly Lazy<XmlSchemaSet?> TwilioSchemas = new(LoadTwilio);

    /// <summary>Where Twilio's published schema would be: ../shared/twiml-xsd beside the repository root.</summary>
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("The repository root (CitizenCRM.sln) was not found above the test folder.");
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "twiml-xsd"));
        }
    }

    /// <summary>True when Twilio's published schema is present and every reply is checked against it too.</summary>
    public static bool HasTwilioSchema => TwilioSchemas.Value is not null;

    private static XmlSchemaSet LoadOurs()
    {
        using var stream = typeof(TwimlSchema).Assembly.GetManifestResourceStream(OursResource)
            ?? throw new InvalidOperationException($"{OursResource} is not embedded in the test assembly.");
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    private static XmlSchemaSet? LoadTwilio()
    {
        var folder = Folder;
        var main = Path.Combine(folder, "twiml_v20100401_twilioRealtimeCallSchema.xsd");
        if (!File.Exists(main)) return null;
        var text = File.ReadAllText(main, System.Text.Encoding.Latin1);
        // The schema's voice pattern predates Google and Neural voices; Polly has no Hungarian voice, so hu needs Google.
        text = text.Replace(@"<xs:pattern value=""man|woman|male|female|eve|brian|Polly\.[a-zA-Z]+"" />",
            @"<xs:pattern value=""man|woman|male|female|eve|brian|Polly\.[a-zA-Z]+(-Neural|-Generative)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9]+-[A-Za-z0-9]+"" />");
        // <Leave> (leave the queue, https://www.twilio.com/docs/voice/twiml/leave) is newer than the schema: allowed as an empty verb.
        text = text.Replace(@"<xs:element name=""Start"" type=""StartType""></xs:element>",
            @"<xs:element name=""Start"" type=""StartType""></xs:element><xs:element name=""Leave""><xs:complexType/></xs:element>");
        if (!text.Contains("Google\\.", StringComparison.Ordinal) || !text.Contains("\"Leave\"", StringComparison.Ordinal))
            throw new InvalidOperationException("The TwiML schema changed: the in-memory relaxations no longer apply.");

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = new OfflineResolver(folder) };
        var set = new XmlSchemaSet { XmlResolver = new OfflineResolver(folder) };
        using var reader = XmlReader.Create(new StringReader(text), settings, new Uri(main).AbsoluteUri);
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    /// <summary>The schema errors of a reply against our schema alone (empty when it is valid). For tests of the schema itself.</summary>
    public static IReadOnlyList<string> ErrorsAgainstOurs(string xml)
    {
        var errors = Errors(xml, OurSchemas.Value, warnings: true);
        var root = XDocument.Parse(xml).Root!;
        // Every verb is declared globally (to be referenced), so the schema alone would accept <Say> as a document.
        if (root.Name != "Response") errors.Add($"The root element is <{root.Name}>, not <Response>.");
        return errors;
    }

    /// <summary>Parses the reply and validates it (ours always, Twilio's when present); fails the test with every error.</summary>
    public static XDocument Validate(string xml)
    {
        Assert.That(ErrorsAgainstOurs(xml), Is.Empty, "TwiML does not validate against our schema (Phone/twiml-ours.xsd):\n" + xml);
        if (TwilioSchemas.Value is { } twilio)
            Assert.That(Errors(xml, twilio, warnings: false), Is.Empty, "TwiML does not validate against Twilio's published schema:\n" + xml);
        return XDocument.Parse(xml);
    }

    private static List<string> Errors(string xml, XmlSchemaSet schemas, bool warnings)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema, Schemas = schemas, DtdProcessing = DtdProcessing.Prohibit,
            // Warnings too: an element the schema does not know is only a warning ("could not find schema information") otherwise.
            ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints | XmlSchemaValidationFlags.AllowXmlAttributes
                | (warnings ? XmlSchemaValidationFlags.ReportValidationWarnings : XmlSchemaValidationFlags.None),
        };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using (var reader = XmlReader.Create(new StringReader(xml), settings)) while (reader.Read()) { }
        return errors;
    }

    /// <summary>Maps the W3C xml: namespace import to the local stand-in; everything else must be a local file.</summary>
    private sealed class OfflineResolver(string folder) : XmlUrlResolver
    {
        public override Uri ResolveUri(Uri? baseUri, string? relativeUri) =>
            relativeUri == "http://www.w3.org/2001/xml.xsd" ? new Uri(Path.Combine(folder, "xml-ns-local.xsd")) : base.ResolveUri(baseUri, relativeUri);

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile) throw new XmlException($"Refusing to fetch {absoluteUri} while validating offline.");
            return base.GetEntity(absoluteUri, role, ofObjectToReturn);
        }
    }
}
