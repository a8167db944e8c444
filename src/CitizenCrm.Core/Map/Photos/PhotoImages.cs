using System.Security.Cryptography;
using SkiaSharp;

namespace CitizenCrm.Core.Map.Photos;

/// <summary>Why one photo was refused, in a sentence for the reporter.</summary>
public sealed class PhotoRefusedException(string reason) : Exception(reason);

/// <summary>A picture re-encoded as JPEG: its bytes, hash and size.</summary>
public sealed record EncodedPicture(byte[] Bytes, string Sha256, int Width, int Height)
{
    public static EncodedPicture Of(byte[] bytes, int width, int height) =>
        new(bytes, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), width, height);
}

/// <summary>A photo checked and re-encoded in memory, with its thumbnail; nothing is on disk yet.</summary>
public sealed record PreparedPhoto(string OriginalType, long OriginalSize, EncodedPicture Picture, EncodedPicture Thumbnail);

/// <summary>
/// Checks and re-encodes a photo, in this order, so that the cheap checks refuse before the expensive ones run:
/// <list type="number">
/// <item>its size (<see cref="MapOptions.MaxPhotoBytes"/>);</item>
/// <item>its type from its first bytes (JPEG, PNG or WebP), never from its name;</item>
/// <item>its width × height from the header alone (<see cref="SKCodec.Create(SKData)"/> parses the header and
/// allocates no pixels), so a "pixel bomb" (a few KB claiming 60 000 × 60 000 pixels, 14 GB once decoded) is refused
/// before any decoding;</item>
/// <item>decoding, turning upright by its EXIF orientation (re-encoding drops the EXIF that says how to turn it), and
/// encoding a new JPEG from the pixels alone: no EXIF, GPS, XMP, IPTC or comment of the original survives, because
/// none is copied.</item>
/// </list>
/// JPEG for every stored photo: street photos are photographs, JPEG is half the size of WebP's lossless and a tenth of
/// PNG's for them, and every browser, mail client and Open311 app shows it. Transparency (rare in a photo) is
/// flattened on white.
/// </summary>
public static class PhotoImages
{
    public const string Jpeg = "image/jpeg", Png = "image/png", Webp = "image/webp";

    /// <summary>The stored picture's longest side: enough to read a street sign on a dispatcher's screen, a fraction of a phone's 12 MP.</summary>
    public const int MaxSide = 2048;

    /// <summary>The thumbnail's longest side: a map popup or a list row, sharp on a 2× phone screen at 160 CSS px.</summary>
    public const int ThumbnailSide = 320;

    public const int Quality = 85, ThumbnailQuality = 80;

    /// <summary>The type by the file's first bytes: JPEG's SOI (FF D8 FF), PNG's 8-byte signature, WebP's RIFF....WEBP.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return Webp;
        return null;
    }

    public static PreparedPhoto Prepare(byte[] bytes, long maxBytes, long maxPixels)
    {
        if (bytes.Length == 0) throw new PhotoRefusedException("the file is empty.");
        if (bytes.Length > maxBytes)
            throw new PhotoRefusedException($"it is larger than {Megabytes(maxBytes)}, the most a photo may have.");
        var type = TypeOf(bytes)
            ?? throw new PhotoRefusedException("it is not a JPEG, PNG or WebP picture (its content was checked, not its name).");

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new PhotoRefusedException($"it looks like a {Name(type)} but cannot be read; it may be damaged.");
        if (FormatOf(codec.EncodedFormat) != type)
            throw new PhotoRefusedException($"its content is not a valid {Name(type)}.");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0) throw new PhotoRefusedException("it has no pixels.");
        if ((long)width * height > maxPixels)
            throw new PhotoRefusedException(
                $"it claims {width} × {height} pixels; a photo may have at most {(maxPixels / 1_000_000.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} million pixels. Send a smaller picture.");

        using var decoded = Decode(codec, width, height, type);
        using var upright = Render(decoded, codec.EncodedOrigin, MaxSide);
        using var small = Render(upright, SKEncodedOrigin.TopLeft, ThumbnailSide);
        return new PreparedPhoto(type, bytes.Length, Encode(upright, Quality), Encode(small, ThumbnailQuality));
    }

    /// <summary>
    /// Decodes to sRGB (a phone's Display P3 picture keeps its colours once the profile is dropped). A large JPEG is
    /// decoded at 1/2, 1/4 or 1/8 of its size by libjpeg itself when the stored picture is smaller anyway, which keeps a
    /// 40 MP photo from taking 160 MB of memory.
    /// </summary>
    private static SKBitmap Decode(SKCodec codec, int width, int height, string type)
    {
        var scale = Math.Min(1f, (float)MaxSide / Math.Max(width, height));
        var size = scale < 1f ? codec.GetScaledDimensions(scale) : new SKSizeI(width, height);
        if (size.Width < 1 || size.Height < 1) size = new SKSizeI(width, height);
        foreach (var s in size.Width == width ? [size] : new[] { size, new SKSizeI(width, height) })
        {
            var info = new SKImageInfo(s.Width, s.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
            var bitmap = new SKBitmap(info);
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result == SKCodecResult.Success) return bitmap;
            bitmap.Dispose();
            if (result != SKCodecResult.InvalidScale) break;
        }
        throw new PhotoRefusedException($"it looks like a {Name(type)} but its picture cannot be decoded; it may be damaged or cut short.");
    }

    /// <summary>Draws the source turned by its EXIF orientation and scaled to fit <paramref name="maxSide"/> (never enlarged).</summary>
    private static SKBitmap Render(SKBitmap source, SKEncodedOrigin origin, int maxSide)
    {
        var (w, h) = (source.Width, source.Height);
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (uprightW, uprightH) = turned ? (h, w) : (w, h);
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(uprightW, uprightH));
        var outW = Math.Max(1, (int)Math.Round(uprightW * scale));
        var outH = Math.Max(1, (int)Math.Round(uprightH * scale));
        var (sx, sy) = ((float)outW / uprightW, (float)outH / uprightH);

        // EXIF orientation (TIFF 6.0 tag 274): where the stored rows and columns go. x' = a·x + b·y + c, y' = d·x + e·y + f.
        var (a, b, c, d, e, f) = origin switch
        {
            SKEncodedOrigin.TopRight => (-1f, 0f, w, 0f, 1f, 0f),      // mirrored
            SKEncodedOrigin.BottomRight => (-1f, 0f, w, 0f, -1f, h),   // upside down
            SKEncodedOrigin.BottomLeft => (1f, 0f, 0f, 0f, -1f, h),    // mirrored upside down
            SKEncodedOrigin.LeftTop => (0f, 1f, 0f, 1f, 0f, 0f),       // transposed
            SKEncodedOrigin.RightTop => (0f, -1f, h, 1f, 0f, 0f),      // turned 90° clockwise to stand up (a phone held upright)
            SKEncodedOrigin.RightBottom => (0f, -1f, h, -1f, 0f, w),   // transversed
            SKEncodedOrigin.LeftBottom => (0f, 1f, 0f, -1f, 0f, w),    // turned 90° anticlockwise to stand up
            _ => (1f, 0f, 0f, 0f, 1f, 0f),
        };
        var matrix = new SKMatrix(sx * a, sx * b, sx * c, sy * d, sy * e, sy * f, 0, 0, 1);

        var target = new SKBitmap(new SKImageInfo(outW, outH, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.Clear(SKColors.White);
            canvas.SetMatrix(matrix);
            // Mipmaps only where they matter (shrinking more than twice, e.g. the thumbnail): building them for a 40 MP
            // picture costs more time than the whole rest of the work.
            var sampling = Math.Min(sx, sy) < 0.5f
                ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
            canvas.DrawImage(image, 0, 0, sampling);
        }
        return target;
    }

    /// <summary>A new JPEG from the pixels alone: Skia writes a JFIF header and nothing of the original file.</summary>
    private static EncodedPicture Encode(SKBitmap bitmap, int quality)
    {
        using var pixmap = bitmap.PeekPixels();
        using var encoded = pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("SkiaSharp could not encode the JPEG.");
        return EncodedPicture.Of(encoded.ToArray(), bitmap.Width, bitmap.Height);
    }

    private static string? FormatOf(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => Jpeg,
        SKEncodedImageFormat.Png => Png,
        SKEncodedImageFormat.Webp => Webp,
        _ => null,
    };

    private static string Name(string type) => type switch { Jpeg => "JPEG", Png => "PNG", _ => "WebP" };

    private static string Megabytes(long bytes) =>
        bytes >= 1024 * 1024 ? $"{(bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}
