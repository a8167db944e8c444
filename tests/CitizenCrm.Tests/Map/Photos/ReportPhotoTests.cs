using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace CitizenCrm.Tests.Map.Photos;

/// <summary>
/// The photos of map reports, end to end: a report goes in through the mediator (the reporting endpoints are built
/// by the Open311 and map page work), the photos come out over HTTP at their public address, and the files on disk are
/// looked at directly.
/// </summary>
// Not beside another class: the pixel bomb's allocation count is the whole process's.
[NonParallelizable]
public sealed class ReportPhotoTests
{
    private CrmTestApp _app = null!;

    [TearDown]
    public void TearDown() => _app?.Dispose();

    private CrmTestApp Start(bool photosPublicAtOnce = false, bool textPublicAtOnce = true)
    {
        _app = new CrmTestApp(settings: new Dictionary<string, string?>
        {
            ["Map:PhotosPublicAtOnce"] = photosPublicAtOnce ? "true" : "false",
            ["Map:TextPublicAtOnce"] = textPublicAtOnce ? "true" : "false",
        });
        _ = _app.Services; // starts the server: migrations, the sweep
        return _app;
    }

    /// <summary>A pothole in the centre of Alba Iulia (inside the boundary), with its one required answer.</summary>
    private Task<IncidentReport> Report(params (byte[] Bytes, string Name)[] photos) =>
        _app.Send(Pothole(photos.Select(p => new PhotoUpload(p.Bytes, p.Name)).ToList()), actor: "map-page");

    private static ReportIncident Pothole(IReadOnlyList<PhotoUpload> photos) =>
        new("pothole", 46.0700, 23.5800, "Strada Avram Iancu 5", null, "A deep pothole by the kerb",
            new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small"] }, null, null, null, null, null, null, null,
            ReportSources.MapPage, Photos: photos);

    private string[] PhotoFiles()
    {
        var folder = Path.Combine(_app.DataFolder, "photos");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<long>(sql);
    }

    private async Task<string[]> RefusalOf(params (byte[] Bytes, string Name)[] photos)
    {
        var refused = Assert.ThrowsAsync<ValidationFailedException>(() => Report(photos))!;
        Assert.That(refused.Errors.Keys, Is.EquivalentTo(new[] { "media" }));
        await Task.CompletedTask;
        return refused.Errors["media"];
    }

    private static byte[] Png(int w = 400, int h = 300) => TestPictures.Make(w, h, SKEncodedImageFormat.Png);

    [Test]
    public async Task A_text_file_named_pothole_jpg_is_refused_by_its_bytes_and_nothing_of_the_report_is_kept()
    {
        Start();
        var fake = "<html><script>alert(1)</script></html>"u8.ToArray();

        var errors = await RefusalOf((Png(), "first.png"), (fake, "pothole.jpg"));

        Assert.That(errors, Is.EqualTo(new[]
        {
            "Photo 2 (pothole.jpg) was refused: it is not a JPEG, PNG or WebP picture (its content was checked, not its name).",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM cases"), Is.Zero, "the whole report is refused");
        Assert.That(Count("SELECT COUNT(*) FROM case_photos"), Is.Zero);
        Assert.That(PhotoFiles(), Is.Empty, "the good first photo left no file behind");
    }

    [Test]
    public async Task Bytes_that_start_like_a_jpeg_but_are_not_one_are_refused_as_damaged()
    {
        Start();
        var fake = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }.Concat(new byte[500]).ToArray();

        var errors = await RefusalOf((fake, "photo.jpg"));

        Assert.That(errors[0], Does.StartWith("Photo 1 (photo.jpg) was refused: it looks like a JPEG but"));
        Assert.That(PhotoFiles(), Is.Empty);
    }

    [Test]
    public async Task A_photo_over_ten_megabytes_is_refused()
    {
        Start();
        var big = new byte[10 * 1024 * 1024 + 1];
        new byte[] { 0xFF, 0xD8, 0xFF }.CopyTo(big, 0);

        var errors = await RefusalOf((big, "big.jpg"));

        Assert.That(errors, Is.EqualTo(new[] { "Photo 1 (big.jpg) was refused: it is larger than 10 MB, the most a photo may have." }));
        Assert.That(Count("SELECT COUNT(*) FROM cases"), Is.Zero);
    }

    [Test]
    public async Task A_pixel_bomb_claiming_60000_by_60000_pixels_is_refused_from_its_header_before_decoding()
    {
        Start();
        var bomb = TestPictures.PixelBombPng();
        Assert.That(bomb.Length, Is.LessThan(200), "a few bytes on the wire");
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var errors = await RefusalOf((bomb, "bomb.png"));

        Assert.That(errors, Is.EqualTo(new[]
        {
            "Photo 1 (bomb.png) was refused: it claims 60000 × 60000 pixels; a photo may have at most 40 million pixels. Send a smaller picture.",
        }));
        // Decoding would need 14.4 GB for its pixels; refusing from the header takes far less than the 10 MB byte limit.
        Assert.That(GC.GetTotalAllocatedBytes(precise: true) - before, Is.LessThan(10_000_000));
    }

    [Test]
    public async Task An_endpoint_that_prepares_the_photos_before_the_transaction_hears_of_a_bad_one_early_and_stores_the_good_ones()
    {
        Start();
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "map-page";
        var photos = scope.ServiceProvider.GetRequiredService<IReportPhotos>();

        var bomb = Assert.ThrowsAsync<ValidationFailedException>(() =>
            photos.PrepareAsync([new PhotoUpload(Png(), "a.png"), new PhotoUpload(TestPictures.PixelBombPng(), "bomb.png")], CancellationToken.None))!;
        var tooMany = Assert.ThrowsAsync<ValidationFailedException>(() =>
            photos.PrepareAsync(Enumerable.Range(0, 6).Select(_ => new PhotoUpload(TestPictures.PixelBombPng(), null)).ToList(), CancellationToken.None))!;
        List<PhotoUpload> good = [new(Png(), "a.png"), new(Png(200, 100), "b.png")];
        await photos.PrepareAsync(good, CancellationToken.None);
        var report = await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(Pothole(good));

        Assert.That(bomb.Errors["media"], Has.Length.EqualTo(1).And.All.StartsWith("Photo 2 (bomb.png) was refused: it claims 60000 × 60000 pixels"));
        Assert.That(tooMany.Errors["media"], Is.EqualTo(new[] { "Send at most 5 photos with one report." }));
        Assert.That(Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(1), "only the good report");
        Assert.That(report.Photos.Select(p => (p.Width, p.Height)), Is.EqualTo(new[] { (400, 300), (200, 100) }));
        Assert.That(PhotoFiles(), Has.Length.EqualTo(4));
    }

    [Test]
    public async Task A_phone_photo_with_gps_exif_and_xmp_is_stored_upright_without_any_of_it()
    {
        Start(photosPublicAtOnce: true);
        // 40 × 20, red left and blue right, tagged "turn 90° clockwise" (EXIF orientation 6), as a phone held upright writes it.
        var original = TestPictures.WithExif(TestPictures.Make(40, 20, SKEncodedImageFormat.Jpeg), orientation: 6);
        Assert.That(TestPictures.HeaderMarkers(original).Count(m => m == 0xE1), Is.EqualTo(2), "the test photo carries EXIF and XMP");
        Assert.That(TestPictures.Contains(original, TestPictures.LatitudeBytes()), Is.True);
        using (var codec = SKCodec.Create(SKData.CreateCopy(original)))
            Assert.That(codec.EncodedOrigin, Is.EqualTo(SKEncodedOrigin.RightTop), "SkiaSharp reads the hand-made EXIF");

        var report = await Report((original, "IMG_0001.jpg"));

        var photo = report.Photos.Single();
        Assert.That((photo.Width, photo.Height), Is.EqualTo((20, 40)), "turned upright: 40 × 20 stood on its side");
        var stored = await _app.CreateClient().GetByteArrayAsync(photo.Url);
        var onDisk = PhotoFiles().Select(File.ReadAllBytes).Single(b => b.Length == stored.Length && b.SequenceEqual(stored));
        Assert.That(onDisk, Is.Not.Null);
        Assert.That(TestPictures.HeaderMarkers(stored), Does.Not.Contain((byte)0xE1), "no APP1 segment (EXIF or XMP)");
        Assert.That(TestPictures.Contains(stored, "Exif\0\0"u8.ToArray()), Is.False);
        Assert.That(TestPictures.Contains(stored, TestPictures.LatitudeBytes()), Is.False, "no GPS latitude");
        Assert.That(TestPictures.Contains(stored, new byte[] { 0x25, 0x88 }), Is.False, "no GPSInfo tag (34853)");
        Assert.That(TestPictures.Contains(stored, System.Text.Encoding.ASCII.GetBytes(TestPictures.XmpNamespace)), Is.False, "no XMP");

        // Upright: what was the left (red) is now the top, the right (blue) the bottom.
        using var bitmap = SKBitmap.Decode(stored);
        var top = bitmap.GetPixel(10, 5);
        var bottom = bitmap.GetPixel(10, 34);
        Assert.That((top.Red > 200, top.Blue < 60), Is.EqualTo((true, true)), $"top is red: {top}");
        Assert.That((bottom.Blue > 200, bottom.Red < 60), Is.EqualTo((true, true)), $"bottom is blue: {bottom}");
    }

    [Test]
    public async Task A_png_and_a_webp_are_accepted_stored_as_jpeg_with_thumbnails_of_320_pixels_at_most()
    {
        Start(photosPublicAtOnce: true);
        var png = Png(400, 300);
        var webp = TestPictures.Make(300, 600, SKEncodedImageFormat.Webp);
        var large = Png(3000, 1500);
        var small = Png(100, 50);

        var report = await Report((png, "a.png"), (webp, "b.webp"), (large, "c.png"), (small, "d.png"));

        Assert.That(report.Photos.Select(p => (p.Width, p.Height)), Is.EqualTo(new[] { (400, 300), (300, 600), (2048, 1024), (100, 50) }));
        var client = _app.CreateClient();
        var thumbnails = new List<(int, int)>();
        foreach (var photo in report.Photos)
        {
            foreach (var url in new[] { photo.Url, photo.ThumbnailUrl })
            {
                var response = await client.GetAsync(url);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
                Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/jpeg"));
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xFF, 0xD8, 0xFF }), "a JPEG");
                if (url == photo.ThumbnailUrl)
                {
                    using var codec = SKCodec.Create(SKData.CreateCopy(bytes));
                    thumbnails.Add((codec.Info.Width, codec.Info.Height));
                }
            }
        }
        Assert.That(thumbnails, Is.EqualTo(new[] { (320, 240), (160, 320), (320, 160), (100, 50) }), "never enlarged");
        using var db = _app.OpenDatabase();
        var types = db.Query<string>("SELECT original_type FROM case_photos ORDER BY position").ToList();
        Assert.That(types, Is.EqualTo(new[] { "image/png", "image/webp", "image/png", "image/png" }));
    }

    [Test]
    public async Task The_same_photo_sent_with_two_reports_and_twice_in_one_is_stored_once()
    {
        Start();
        var png = Png();

        var first = await Report((png, "a.png"), (png, "again.png"));
        var second = await Report((png, "a.png"));

        Assert.That(first.Photos, Has.Count.EqualTo(1), "twice in one report is one photo");
        Assert.That(second.Photos, Has.Count.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM case_photos"), Is.EqualTo(2));
        Assert.That(PhotoFiles(), Has.Length.EqualTo(2), "one picture and one thumbnail on disk");
        foreach (var file in PhotoFiles())
        {
            var name = Path.GetFileName(file);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), Is.EqualTo(name), "named by its content's hash");
            Assert.That(Path.GetFileName(Path.GetDirectoryName(file)), Is.EqualTo(name[..2]));
        }
    }

    [Test]
    public async Task A_report_whose_transaction_fails_after_its_photo_was_written_leaves_no_file()
    {
        Start();
        var report = await Report((Png(), "a.png"));
        var kept = PhotoFiles();
        Assert.That(kept, Has.Length.EqualTo(2));

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "test";
            var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await uow.BeginAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<IReportPhotos>()
                .AddAsync(report.CaseId, [new PhotoUpload(Png(500, 100), "b.png")], false, CancellationToken.None);
            Assert.That(PhotoFiles(), Has.Length.EqualTo(4), "written durably before the commit");
            await uow.RollbackAsync(); // the report's transaction fails
        }

        Assert.That(PhotoFiles(), Is.EquivalentTo(kept), "the rolled-back photo's files are gone, the committed ones stay");
    }

    [Test]
    public async Task A_failed_report_does_not_remove_a_file_that_another_report_of_the_same_picture_is_about_to_commit()
    {
        Start();
        var first = await Report((Png(), "a.png"));
        var second = await Report((Png(), "a.png"));
        var picture = Png(500, 100);

        var failing = _app.Services.CreateAsyncScope();
        var failingUow = failing.ServiceProvider.GetRequiredService<UnitOfWork>();
        await failingUow.BeginAsync(CancellationToken.None);
        await failing.ServiceProvider.GetRequiredService<IReportPhotos>().AddAsync(first.CaseId, [new PhotoUpload(picture, null)], false, CancellationToken.None);
        await failingUow.RollbackAsync();

        await using var succeeding = _app.Services.CreateAsyncScope();
        var uow = succeeding.ServiceProvider.GetRequiredService<UnitOfWork>();
        await uow.BeginAsync(CancellationToken.None);
        await succeeding.ServiceProvider.GetRequiredService<IReportPhotos>().AddAsync(second.CaseId, [new PhotoUpload(picture, null)], false, CancellationToken.None);
        await failing.DisposeAsync(); // the failed report ends while the other still holds the same files
        Assert.That(PhotoFiles(), Has.Length.EqualTo(4));
        await uow.CommitAsync(CancellationToken.None);
        await succeeding.DisposeAsync();

        Assert.That(PhotoFiles(), Has.Length.EqualTo(4), "the committed report has its files");
    }

    [Test]
    public async Task A_photo_file_left_by_a_crash_before_its_commit_is_swept_at_the_next_start()
    {
        _app = new CrmTestApp();
        var orphan = Path.Combine(_app.DataFolder, "photos", "ab", "ab" + new string('c', 62));
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllBytesAsync(orphan, [1, 2, 3]);
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddHours(-1));
        var temp = orphan + ".0123.tmp";
        await File.WriteAllBytesAsync(temp, [1]);
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddHours(-1));
        var young = Path.Combine(_app.DataFolder, "photos", "cd", "cd" + new string('e', 62));
        Directory.CreateDirectory(Path.GetDirectoryName(young)!);
        await File.WriteAllBytesAsync(young, [4]);

        _ = _app.Services; // start

        Assert.That(File.Exists(orphan), Is.False);
        Assert.That(File.Exists(temp), Is.False);
        Assert.That(File.Exists(young), Is.True, "younger than 15 minutes: perhaps another node is still committing it");
    }

    [Test]
    public async Task A_public_photo_is_served_to_anyone_with_a_short_public_cache_and_its_hash_as_etag()
    {
        Start(photosPublicAtOnce: true);
        var report = await Report((Png(), "a.png"));
        var photo = report.Photos.Single();
        Assert.That(photo.Public, Is.True);
        Assert.That(photo.Url, Is.EqualTo($"/media/photos/{photo.Id}"));
        Assert.That(photo.ThumbnailUrl, Is.EqualTo($"/media/photos/{photo.Id}/thumbnail"));
        var client = _app.CreateClient();

        var response = await client.GetAsync(photo.Url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("image/jpeg"));
        Assert.That(response.Headers.CacheControl!.ToString(), Is.EqualTo("public, max-age=300"));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\""));
        Assert.That(response.Headers.ETag.IsWeak, Is.False);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));

        using var again = new HttpRequestMessage(HttpMethod.Get, photo.Url);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag);
        var revalidated = await client.SendAsync(again);
        Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await revalidated.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(revalidated.Headers.CacheControl!.ToString(), Is.EqualTo("public, max-age=300"));

        using var other = new HttpRequestMessage(HttpMethod.Get, photo.Url);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));
        Assert.That((await client.SendAsync(other)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_photo_waiting_for_review_is_a_404_for_the_public_and_served_privately_to_staff()
    {
        Start(); // photos after review: the default
        var report = await Report((Png(), "a.png"));
        var photo = report.Photos.Single();
        Assert.That(photo.Public, Is.False);

        foreach (var url in new[] { photo.Url, photo.ThumbnailUrl })
        {
            var anonymous = await _app.CreateClient().GetAsync(url);
            await anonymous.AssertProblem(HttpStatusCode.NotFound);
            Assert.That(anonymous.Headers.CacheControl!.NoStore, Is.True, "a cache must not keep the 404 once the photo is published");

            var staff = await (await _app.ClientFor(StaffRole.Dispatcher)).GetAsync(url);
            Assert.That(staff.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((staff.Headers.CacheControl!.Private, staff.Headers.CacheControl.NoStore, staff.Headers.CacheControl.Public),
                Is.EqualTo((true, true, false)), "private, no-store");
        }
        var volunteer = await (await _app.ClientFor(StaffRole.Volunteer)).GetAsync(photo.Url);
        Assert.That(volunteer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "volunteers do not review reports");
        Assert.That((await _app.CreateClient().GetAsync($"/media/photos/{Guid.NewGuid()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_published_photo_of_a_report_whose_text_waits_for_review_is_not_public()
    {
        Start(photosPublicAtOnce: true, textPublicAtOnce: false);
        var report = await Report((Png(), "a.png"));

        Assert.That(report.Photos.Single().Public, Is.False);
        await (await _app.CreateClient().GetAsync(report.Photos.Single().Url)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_dispatcher_publishes_a_photo_then_hides_it_with_a_reason_and_both_are_on_the_case_timeline()
    {
        Start();
        var report = await Report((Png(), "a.png"), (Png(200, 200), "b.png"));
        var photo = report.Photos[0];
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);
        var anonymous = _app.CreateClient();
        var basePath = $"/api/map/reports/{report.CaseId}/photos";

        var listed = await dispatcher.GetFromJsonAsync<JsonElement>(basePath);
        Assert.That(listed.GetProperty("registrationNumber").GetString(), Is.EqualTo(report.RegistrationNumber));
        Assert.That(listed.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("state").GetString()),
            Is.EqualTo(new[] { "waiting_for_review", "waiting_for_review" }));

        var published = await dispatcher.PostAsync($"{basePath}/{photo.Id}/publish", null);
        Assert.That(published.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var afterPublish = await published.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(afterPublish.GetProperty("state").GetString(), Is.EqualTo("published"));
        Assert.That(afterPublish.GetProperty("public").GetBoolean(), Is.True);
        Assert.That(afterPublish.GetProperty("publishedBy").GetString(), Is.EqualTo("test-dispatcher"));
        Assert.That((await anonymous.GetAsync(photo.Url)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await anonymous.GetAsync(report.Photos[1].Url)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "only the one reviewed");

        var noReason = await dispatcher.PostAsJsonAsync($"{basePath}/{photo.Id}/hide", new { reason = " " });
        Assert.That((await noReason.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "reason" }));

        var hidden = await dispatcher.PostAsJsonAsync($"{basePath}/{photo.Id}/hide", new { reason = "A number plate can be read" });
        var afterHide = await hidden.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(afterHide.GetProperty("state").GetString(), Is.EqualTo("hidden"));
        Assert.That(afterHide.GetProperty("hiddenReason").GetString(), Is.EqualTo("A number plate can be read"));
        Assert.That(afterHide.GetProperty("hiddenBy").GetString(), Is.EqualTo("test-dispatcher"));
        await (await anonymous.GetAsync(photo.Url)).AssertProblem(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync(photo.ThumbnailUrl)).AssertProblem(HttpStatusCode.NotFound);
        Assert.That((await dispatcher.GetAsync(photo.Url)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "staff still see it");

        // Hiding again changes nothing and records nothing.
        await dispatcher.PostAsJsonAsync($"{basePath}/{photo.Id}/hide", new { reason = "again" });

        var history = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/timeline/cases/{report.CaseId}");
        var events = history.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString()!.StartsWith("case.photo_", StringComparison.Ordinal))
            .Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("summary").GetString()))
            .OrderBy(e => e.Item1 == "case.photo_hidden")
            .ToList();
        Assert.That(events, Is.EqualTo(new[]
        {
            ("case.photo_published", "test-dispatcher", $"Photo 1 of report {report.RegistrationNumber} published on the public map after review"),
            ("case.photo_hidden", "test-dispatcher", $"Photo 1 of report {report.RegistrationNumber} hidden from the public map: A number plate can be read"),
        }));
    }

    [Test]
    public async Task A_photo_is_not_found_under_another_reports_address_and_a_clerk_may_not_moderate()
    {
        Start();
        var first = await Report((Png(), "a.png"));
        var second = await Report((Png(200, 200), "b.png"));
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);

        await (await dispatcher.PostAsync($"/api/map/reports/{second.CaseId}/photos/{first.Photos[0].Id}/publish", null)).AssertProblem(HttpStatusCode.NotFound);
        await (await dispatcher.GetAsync($"/api/map/reports/{Guid.NewGuid()}/photos")).AssertProblem(HttpStatusCode.NotFound);
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        await (await clerk.PostAsync($"/api/map/reports/{first.CaseId}/photos/{first.Photos[0].Id}/publish", null)).AssertProblem(HttpStatusCode.Forbidden);
    }
}
