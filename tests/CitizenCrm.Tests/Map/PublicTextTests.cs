using CitizenCrm.Core.Map;

namespace CitizenCrm.Tests.Map;

/// <summary>A reporter's description as the public reads it in Open311: without what the reporter wrote of themselves.</summary>
public class PublicTextTests
{
    [Test]
    public void The_reporters_name_phone_and_email_written_into_a_description_are_taken_out()
    {
        Assert.That(PublicText.Redact("Lampa nu merge. Sunați-mă: Ion Popescu, 0722 123 456, ion.popescu@example.ro", ["Ion Popescu"]),
            Is.EqualTo("Lampa nu merge. Sunați-mă: […] […], […], […]"));
    }

    [Test]
    public void Landline_numbers_in_any_usual_form_and_a_cnp_are_taken_out()
    {
        Assert.That(PublicText.Redact("Sunați la +40 258 811 111 sau 0258-811-111; CNP 1850301011234.", []),
            Is.EqualTo("Sunați la […] sau […]; CNP […]."));
    }

    [Test]
    public void A_description_with_nothing_personal_is_left_as_written()
    {
        const string text = "Groapă adâncă de 12 cm pe banda 2, lângă stâlpul 45, din 2026; Str. Ion Creangă nr. 7.";
        Assert.That(PublicText.Redact(text, [null, "Ana Pop"]), Is.EqualTo(text));
    }

    [Test]
    public void A_name_is_matched_as_a_whole_word_whatever_its_case_and_short_words_are_left()
    {
        Assert.That(PublicText.Redact("ANA a văzut-o; Anastasia nu. Pop e aici, Io tot.", ["Ana Pop Io"]),
            Is.EqualTo("[…] a văzut-o; Anastasia nu. […] e aici, Io tot."));
    }
}
