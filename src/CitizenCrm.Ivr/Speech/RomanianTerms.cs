namespace CitizenCrm.Ivr.Speech;

/// <summary>
/// Romanian words that reach the caller from the data, not from the prompts: the names of legal holidays
/// (<see cref="Core.Holidays.LegalHolidays"/>) and the land categories the revenue system writes at the start of a tax's
/// description ("Teren intravilan, Str. Frații Popeea"). An English or Hungarian caller hears them in their language; the
/// address that follows stays as written, since that is how it is signposted and how the caller will look for it.
/// </summary>
public static class RomanianTerms
{
    // Hungarian names as the Hungarian community in Romania uses them; English names as a British speaker knows them
    // (Boxing Day for 26 December, Whit Monday for the day after Pentecost).
    private static readonly Dictionary<string, (string En, string Hu)> Holidays = new(StringComparer.Ordinal)
    {
        ["Anul Nou"] = ("New Year", "újév"),
        ["Ziua Unirii Principatelor Române"] = ("the Day of the Union of the Romanian Principalities", "a román fejedelemségek egyesülésének napja"),
        ["Vinerea Mare"] = ("Orthodox Good Friday", "ortodox nagypéntek"),
        ["Paștele ortodox"] = ("Orthodox Easter", "ortodox húsvét"),
        ["A doua zi de Paște"] = ("Orthodox Easter Monday", "ortodox húsvéthétfő"),
        ["Ziua Muncii"] = ("Labour Day", "a munka ünnepe"),
        ["Ziua Copilului"] = ("Children's Day", "gyermeknap"),
        ["Rusaliile"] = ("Orthodox Pentecost", "ortodox pünkösd"),
        ["A doua zi de Rusalii"] = ("Orthodox Whit Monday", "ortodox pünkösdhétfő"),
        ["Adormirea Maicii Domnului"] = ("the Dormition of the Mother of God", "Nagyboldogasszony napja"),
        ["Sfântul Andrei"] = ("Saint Andrew's Day", "Szent András napja"),
        ["Ziua Națională a României"] = ("Romania's National Day", "Románia nemzeti ünnepe"),
        ["Crăciunul"] = ("Christmas Day", "karácsony"),
        ["A doua zi de Crăciun"] = ("Boxing Day", "karácsony másnapja"),
        ["Boboteaza"] = ("Epiphany", "vízkereszt"),
        ["Sfântul Ioan Botezătorul"] = ("Saint John the Baptist's Day", "Keresztelő Szent János napja"),
    };

    /// <summary>A legal holiday's name in the caller's language; a name this table does not know is said as written.</summary>
    public static string Holiday(string romanianName, string language) =>
        Holidays.TryGetValue(romanianName, out var t) ? language switch { "en" => t.En, "hu" => t.Hu, _ => romanianName } : romanianName;

    // The land categories of the Fiscal Code (Law 227/2015 art. 463-465: intravilan / extravilan land and its categories of use),
    // longest first so "Teren intravilan" is not taken for "Teren".
    private static readonly (string Ro, string En, string Hu)[] LandCategories =
    [
        ("Teren intravilan", "Land within the town limits", "Belterületi telek"),
        ("Teren extravilan", "Land outside the town limits", "Külterületi földterület"),
        ("Teren cu construcții", "Land with buildings", "Beépített telek"),
        ("Teren arabil", "Arable land", "Szántó"),
        ("Pășune", "Pasture", "Legelő"),
        ("Fâneață", "Hayfield", "Kaszáló"),
        ("Vie", "Vineyard", "Szőlő"),
        ("Livadă", "Orchard", "Gyümölcsös"),
        ("Pădure", "Forest", "Erdő"),
        ("Clădire rezidențială", "Residential building", "Lakóépület"),
        ("Clădire nerezidențială", "Non-residential building", "Nem lakóépület"),
    ];

    /// <summary>
    /// A tax's description for the caller: a leading land or building category is translated, the rest (the address, the
    /// plate) is kept as written. "Teren intravilan, Str. Frații Popeea" is "Land within the town limits, Str. Frații Popeea".
    /// </summary>
    public static string TaxDescription(string description, string language)
    {
        if (language is not ("en" or "hu")) return description;
        foreach (var (ro, en, hu) in LandCategories.OrderByDescending(c => c.Ro.Length))
        {
            if (!description.StartsWith(ro, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = description[ro.Length..];
            if (rest.Length > 0 && char.IsLetter(rest[0])) continue;   // "Vie" must not take "Viewpoint"
            return (language == "en" ? en : hu) + rest;
        }
        return description;
    }
}
