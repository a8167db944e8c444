using CitizenCrm.Core.Map;
using CitizenCrm.Tests.Map.Photos;
using SkiaSharp;

namespace CitizenCrm.Tests.Map.Geo;

public sealed class FeedThumbnailTests : MapGeoTest
{
    [Test]
    public async Task A_photo_shows_as_the_public_thumbnail_only_once_a_dispatcher_publishes_it()
    {
        var report = await Report(photos: [new PhotoUpload(TestPictures.Make(400, 300, SKEncodedImageFormat.Png), "groapa.png")]);
        var photo = report.Photos.Single().Id;

        // Photos wait for review by default (Map:PhotosPublicAtOnce = false): staff see it, the public does not yet.
        var before = await Json(App.CreateClient(), "/api/public/map/incidents");
        Assert.That(before.GetProperty("features")[0].GetProperty("properties").GetProperty("thumbnail_url").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        var staff = await Json(Dispatcher, "/api/map/incidents");
        Assert.That(staff.GetProperty("features")[0].GetProperty("properties").GetProperty("thumbnail_url").GetString(),
            Is.EqualTo($"https://sesizari.apulum.example/media/photos/{photo}/thumbnail"));

        await Post(Dispatcher, $"/api/map/reports/{report.CaseId}/photos/{photo}/publish", null);
        var after = await Json(App.CreateClient(), "/api/public/map/incidents");
        Assert.That(after.GetProperty("features")[0].GetProperty("properties").GetProperty("thumbnail_url").GetString(),
            Is.EqualTo($"https://sesizari.apulum.example/media/photos/{photo}/thumbnail"));
    }
}
