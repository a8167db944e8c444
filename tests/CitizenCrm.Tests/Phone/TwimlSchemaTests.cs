namespace CitizenCrm.Tests.Phone;

/// <summary>Our TwiML schema is strict: what the server does not emit, or emits wrongly, is refused.</summary>
public class TwimlSchemaTests
{
    private const string Voice = @"voice=""Polly.Carmen"" language=""ro-RO""";

    private static string Reply(string body) => $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Response>{body}</Response>";

    [Test]
    public void What_the_robot_emits_is_accepted()
    {
        var xml = Reply(
            $@"<Gather input=""dtmf speech"" action=""https://crm.example/twilio/voice/turn?turn=2"" method=""POST"" timeout=""6"" numDigits=""1"" finishOnKey="""" actionOnEmptyResult=""true"" language=""ro-RO"" hints=""taxe,petiție, amenzi"">" +
            $@"<Say {Voice}>Bună ziua.</Say><Pause length=""1"" /></Gather>" +
            @"<Redirect method=""POST"">https://crm.example/twilio/voice/turn?turn=2</Redirect>" +
            @"<Enqueue action=""/twilio/voice/turn?turn=3"" method=""POST"" waitUrl=""/twilio/voice/wait?lang=ro"" waitUrlMethod=""POST"">operatori</Enqueue>" +
            @"<Record action=""/twilio/voice/turn?turn=4"" method=""POST"" timeout=""5"" finishOnKey=""#"" maxLength=""120"" playBeep=""true"" />" +
            @"<Say voice=""Google.hu-HU-Standard-A"" language=""hu-HU"">Viszontlátásra.</Say><Pause length=""20"" /><Leave /><Hangup />" +
            @"<Dial><Queue url=""/twilio/voice/bridged"" method=""POST"">operatori</Queue></Dial>");
        Assert.That(TwimlSchema.ErrorsAgainstOurs(xml), Is.Empty);
    }

    [TestCase("<Play>https://example.com/music.mp3</Play>", TestName = "A verb we never emit (Play)")]
    [TestCase("<Reject />", TestName = "A verb we never emit (Reject)")]
    [TestCase("<Hangupp />", TestName = "A misspelt verb")]
    public void An_unknown_verb_is_refused(string body) =>
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply(body)), Is.Not.Empty);

    [TestCase(@"<Say voice=""Polly.Carmen"" language=""ro-RO"" loop=""2"">Bună ziua.</Say>", TestName = "Say with loop")]
    [TestCase(@"<Gather action=""/t"" speechTimeout=""auto"" />", TestName = "Gather with speechTimeout")]
    [TestCase(@"<Hangup reason=""busy"" />", TestName = "Hangup with an attribute")]
    [TestCase(@"<Record action=""/t"" transcribe=""true"" />", TestName = "Record with transcribe")]
    [TestCase(@"<Enqueue waitURL=""/w"">operatori</Enqueue>", TestName = "Enqueue with waitURL in the wrong case")]
    public void An_unknown_attribute_is_refused(string body) =>
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply(body)), Is.Not.Empty);

    [TestCase(@"<Gather action=""/t""><Gather action=""/u"" /></Gather>", TestName = "Gather inside Gather")]
    [TestCase(@"<Gather action=""/t""><Dial><Queue>operatori</Queue></Dial></Gather>", TestName = "Dial inside Gather")]
    [TestCase(@"<Gather action=""/t""><Enqueue>operatori</Enqueue></Gather>", TestName = "Enqueue inside Gather")]
    [TestCase(@"<Gather action=""/t""><Redirect>/t</Redirect></Gather>", TestName = "Redirect inside Gather")]
    [TestCase(@"<Say voice=""Polly.Carmen"" language=""ro-RO""><Pause /></Say>", TestName = "Pause inside Say")]
    [TestCase(@"<Dial><Say voice=""Polly.Carmen"" language=""ro-RO"">x</Say></Dial>", TestName = "Say inside Dial")]
    [TestCase(@"<Dial><Queue>a</Queue><Queue>b</Queue></Dial>", TestName = "Two queues in one Dial")]
    [TestCase(@"<Queue>operatori</Queue>", TestName = "Queue outside Dial")]
    public void A_bad_nesting_is_refused(string body) =>
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply(body)), Is.Not.Empty);

    [TestCase(@"<Gather action=""/t"" method=""PUT"" />", TestName = "method PUT")]
    [TestCase(@"<Gather action=""/t"" method=""post"" />", TestName = "method in lower case")]
    [TestCase(@"<Gather action=""/t"" input=""voice"" />", TestName = "input voice")]
    [TestCase(@"<Gather action=""/t"" timeout=""five"" />", TestName = "timeout in words")]
    [TestCase(@"<Gather action=""/t"" timeout=""0"" />", TestName = "timeout zero")]
    [TestCase(@"<Gather action=""/t"" numDigits=""-1"" />", TestName = "numDigits negative")]
    [TestCase(@"<Gather action=""/t"" finishOnKey=""##"" />", TestName = "finishOnKey two keys")]
    [TestCase(@"<Gather action=""/t"" finishOnKey=""a"" />", TestName = "finishOnKey a letter")]
    [TestCase(@"<Gather action=""/t"" actionOnEmptyResult=""1"" />", TestName = "actionOnEmptyResult 1")]
    [TestCase(@"<Gather action="""" />", TestName = "empty action")]
    [TestCase(@"<Gather />", TestName = "Gather without action")]
    [TestCase(@"<Say voice=""Polly.Carmen"" language=""romanian"">x</Say>", TestName = "language romanian")]
    [TestCase(@"<Say voice=""Robot"" language=""ro-RO"">x</Say>", TestName = "voice Robot")]
    [TestCase(@"<Say voice=""Polly.Carmen"" language=""ro-RO""></Say>", TestName = "Say nothing")]
    [TestCase(@"<Say>x</Say>", TestName = "Say without voice and language")]
    [TestCase(@"<Record action=""/t"" maxLength=""1"" />", TestName = "Record maxLength 1")]
    [TestCase(@"<Record action=""/t"" playBeep=""yes"" />", TestName = "playBeep yes")]
    [TestCase(@"<Pause length=""1.5"" />", TestName = "Pause length 1.5")]
    [TestCase(@"<Enqueue waitUrlMethod=""DELETE"">operatori</Enqueue>", TestName = "waitUrlMethod DELETE")]
    [TestCase(@"<Enqueue>a-queue-name-longer-than-sixty-four-characters-is-refused-by-twilio-yes</Enqueue>", TestName = "queue name over 64")]
    [TestCase(@"<Redirect method=""POST"">not a url</Redirect>", TestName = "Redirect to not a URL")]
    public void A_bad_attribute_value_is_refused(string body) =>
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply(body)), Is.Not.Empty);

    [Test]
    public void A_document_that_is_not_a_Response_is_refused()
    {
        Assert.That(TwimlSchema.ErrorsAgainstOurs(@"<Say voice=""Polly.Carmen"" language=""ro-RO"">x</Say>"), Is.Not.Empty);
        Assert.That(TwimlSchema.ErrorsAgainstOurs("<Reply />"), Is.Not.Empty);
    }

    [Test]
    public void Too_long_a_sentence_for_a_Polly_voice_is_refused()
    {
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply($"<Say {Voice}>{new string('a', 3000)}</Say>")), Is.Empty);
        Assert.That(TwimlSchema.ErrorsAgainstOurs(Reply($"<Say {Voice}>{new string('a', 3001)}</Say>")), Is.Not.Empty);
    }
}
