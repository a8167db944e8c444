using System.Text.Json;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.IO.Converters;

namespace CitizenCrm.Core.Map;

/// <summary>
/// The territory the city hall answers for (Law 215/2001, now the Administrative Code, OUG 57/2019 art. 5: a city hall
/// acts within its administrative-territorial unit). Read once from Map:Boundary as GeoJSON; a prepared geometry makes
/// each point-in-polygon test cheap.
/// </summary>
public sealed class MapBoundary
{
    /// <summary>
    /// The default: an outline of the municipality of Alba Iulia (the city with Bărăbanț, Micești, Oarda and Pâclișa),
    /// drawn by hand around its built-up area and villages, a few hundred metres generous. It is not the cadastral
    /// limit: a city hall sets its official outline (from ANCPI or OpenStreetMap's administrative relation) in Map:Boundary.
    /// </summary>
    public const string AlbaIulia = """
        {"type":"Polygon","coordinates":[[
          [23.5050,46.0800],[23.5150,46.1050],[23.5300,46.1200],[23.5550,46.1330],[23.5800,46.1370],[23.6050,46.1300],
          [23.6250,46.1180],[23.6450,46.1000],[23.6600,46.0820],[23.6580,46.0600],[23.6500,46.0400],[23.6300,46.0220],
          [23.6050,46.0100],[23.5750,46.0080],[23.5500,46.0150],[23.5250,46.0300],[23.5100,46.0550],[23.5050,46.0800]
        ]]}
        """;

    private readonly IPreparedGeometry _prepared;

    public MapBoundary(IOptions<MapOptions> options)
    {
        var json = string.IsNullOrWhiteSpace(options.Value.Boundary) ? AlbaIulia : options.Value.Boundary;
        Geometry = Parse(json);
        Name = string.IsNullOrWhiteSpace(options.Value.Boundary) ? "the municipality of Alba Iulia" : "the city's territory";
        _prepared = PreparedGeometryFactory.Prepare(Geometry);
    }

    public Geometry Geometry { get; }

    /// <summary>How a refusal names the territory.</summary>
    public string Name { get; }

    public bool Contains(double latitude, double longitude) => _prepared.Covers(new Point(longitude, latitude));

    /// <summary>Reads a Polygon or MultiPolygon, bare or inside a Feature or a FeatureCollection's first feature.</summary>
    public static Geometry Parse(string json)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        using var doc = JsonDocument.Parse(json);
        var type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        var geometry = type switch
        {
            "Feature" => JsonSerializer.Deserialize<IFeature>(json, options)?.Geometry,
            "FeatureCollection" => JsonSerializer.Deserialize<FeatureCollection>(json, options)?.FirstOrDefault()?.Geometry,
            _ => JsonSerializer.Deserialize<Geometry>(json, options),
        };
        if (geometry is not (Polygon or MultiPolygon) || !geometry.IsValid)
            throw new InvalidOperationException("Map:Boundary must be a valid GeoJSON Polygon or MultiPolygon (longitude, latitude), bare or in a Feature.");
        return geometry;
    }
}
