using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace CitizenCrm.Tests.Phone;

/// <summary>
/// Twilio's published voice TwiML schema (../shared/twiml-xsd/ beside the repository, see its PROVENANCE.md),
/// loaded offline. Two known gaps of the 2010/2023 schema are closed in memory, the files stay verbatim.
/// </summary>
public static class TwimlSchema
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);

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

    private static XmlSchemaSet Load()
    {
        var folder = Folder;
        var main = Path.Combine(folder, "twiml_v20100401_twilioRealtimeCallSchema.xsd");
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

    /// <summary>Parses the reply and validates it; fails the test with every schema error.</summary>
    public static XDocument Validate(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using (var reader = XmlReader.Create(new StringReader(xml), settings)) while (reader.Read()) { }
        Assert.That(errors, Is.Empty, "TwiML does not validate against Twilio's schema:\n" + xml);
        return XDocument.Parse(xml);
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
