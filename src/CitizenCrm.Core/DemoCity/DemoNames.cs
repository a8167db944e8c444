namespace CitizenCrm.Core.DemoCity;

/// <summary>Names, streets and words the demo city is made of (Alba Iulia: Romanian and Hungarian speakers).</summary>
internal static class DemoNames
{
    public static readonly string[] RomanianMale =
    [
        "Ion", "Andrei", "Mihai", "Alexandru", "Ștefan", "Gheorghe", "Vasile", "Constantin", "Dumitru", "Nicolae", "Florin", "Cătălin",
        "Răzvan", "Bogdan", "Adrian", "Cristian", "Ionuț", "Marius", "Sorin", "Petru", "Tudor", "Radu", "Octavian", "Horațiu", "Aurel",
    ];

    public static readonly string[] RomanianFemale =
    [
        "Maria", "Ana", "Elena", "Ioana", "Andreea", "Mihaela", "Cristina", "Alexandra", "Gabriela", "Ștefania", "Larisa", "Roxana",
        "Raluca", "Oana", "Simona", "Georgiana", "Irina", "Daniela", "Lăcrămioara", "Florica", "Viorica", "Rodica", "Smaranda", "Bianca",
    ];

    public static readonly string[] RomanianLast =
    [
        "Popescu", "Popa", "Pop", "Muntean", "Mureșan", "Moldovan", "Oltean", "Crișan", "Bucur", "Stoica", "Dumitrescu", "Ionescu",
        "Rădulescu", "Țurcaș", "Bârsan", "Șerban", "Câmpean", "Hărăguș", "Todoran", "Vlad", "Sârbu", "Lupșa", "Bogdan", "Ardelean",
        "Costea", "Nistor", "Cioban", "Jurj", "Man", "Tămaș", "Boțan", "Pășcuț",
    ];

    public static readonly string[] HungarianMale =
    [
        "László", "István", "József", "Zoltán", "Attila", "Csaba", "Gábor", "Levente", "Szabolcs", "Ödön", "Béla", "Tamás", "Ferenc", "Árpád",
    ];

    public static readonly string[] HungarianFemale =
    [
        "Erzsébet", "Katalin", "Ilona", "Éva", "Zsófia", "Réka", "Enikő", "Tünde", "Ágnes", "Csilla", "Orsolya", "Tímea", "Júlia", "Boglárka",
    ];

    public static readonly string[] HungarianLast =
    [
        "Nagy", "Kovács", "Szabó", "Tóth", "Kiss", "Molnár", "Fazakas", "Szőcs", "Bíró", "Kelemen", "Lőrincz", "Gál", "Fülöp", "Sándor", "Vörös", "Bálint",
    ];

    public static readonly string[] Streets =
    [
        "Bd. Transilvaniei", "Str. Mihai Viteazul", "Str. Unirii", "Bd. Revoluției 1989", "Str. Tudor Vladimirescu", "Str. Calea Moților",
        "Str. Vasile Goldiș", "Str. Nicolae Titulescu", "Str. Gheorghe Doja", "Str. Octavian Goga", "Str. Cetății", "Str. Republicii",
        "Str. Arnsberg", "Str. Lalelelor", "Str. Frații Popeea", "Str. Clujului", "Str. Zlatnei", "Str. Bărăganului",
    ];

    public static readonly string[] Plates = ["AB", "AB", "AB", "CJ", "SB", "HD", "B"];
}
