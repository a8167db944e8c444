using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace CitizenCrm.Tests.Map.Photos;

/// <summary>Pictures made for the tests: plain ones from SkiaSharp, and hostile ones written byte by byte.</summary>
internal static class TestPictures
{
    /// <summary>A picture whose left half is red and right half blue, so a test can tell which way up it is.</summary>
    public static byte[] Make(int width, int height, SKEncodedImageFormat format, int quality = 90)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var red = new SKPaint { Color = SKColors.Red };
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(0, 0, width / 2f, height, red);
            canvas.DrawRect(width / 2f, 0, width - width / 2f, height, blue);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>
    /// A valid PNG header claiming 60 000 × 60 000 RGB pixels (10.8 GB decoded), followed by a few bytes of image
    /// data: the "decompression bomb" that must be refused from its header, before anything is decoded.
    /// </summary>
    public static byte[] PixelBombPng(int width = 60_000, int height = 60_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", ihdr);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(new byte[4096]);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    /// <summary>PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), as its specification's annex gives it.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }

    // The GPS position written into the test photo: 46° 4' 12.34" N, 23° 34' 56.78" E (Alba Iulia), as EXIF rationals.
    public static readonly uint[] Latitude = [46, 1, 4, 1, 1234, 100];
    public static readonly uint[] Longitude = [23, 1, 34, 1, 5678, 100];

    public const string XmpNamespace = "http://ns.adobe.com/xap/1.0/";

    /// <summary>
    /// A JPEG as a phone writes it: an EXIF APP1 segment (CIPA DC-008 / TIFF 6.0, little-endian) with the orientation
    /// (tag 274) and a GPS IFD (tag 34853) holding latitude and longitude, and an XMP APP1 segment, inserted after SOI.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        var tiff = new MemoryStream();
        var w = new BinaryWriter(tiff);
        w.Write("II"u8); w.Write((ushort)42); w.Write(8u);              // TIFF header, IFD0 at offset 8
        const uint gpsIfd = 8 + 2 + 2 * 12 + 4;                           // 38
        const uint latitudeAt = gpsIfd + 2 + 5 * 12 + 4;                  // 104
        const uint longitudeAt = latitudeAt + 24;                         // 128
        w.Write((ushort)2);
        Entry(w, 0x0112, 3, 1, orientation);                              // Orientation, SHORT
        Entry(w, 0x8825, 4, 1, gpsIfd);                                   // GPSInfo IFD pointer, LONG
        w.Write(0u);
        w.Write((ushort)5);
        Entry(w, 0x0000, 1, 4, 0x00000202);                               // GPSVersionID 2.2.0.0, BYTE[4]
        Entry(w, 0x0001, 2, 2, 'N');                                      // GPSLatitudeRef "N\0"
        Entry(w, 0x0002, 5, 3, latitudeAt);                               // GPSLatitude, RATIONAL[3]
        Entry(w, 0x0003, 2, 2, 'E');                                      // GPSLongitudeRef "E\0"
        Entry(w, 0x0004, 5, 3, longitudeAt);                              // GPSLongitude, RATIONAL[3]
        w.Write(0u);
        foreach (var v in Latitude) w.Write(v);
        foreach (var v in Longitude) w.Write(v);
        w.Flush();

        var exif = "Exif\0\0"u8.ToArray().Concat(tiff.ToArray()).ToArray();
        var xmp = Encoding.ASCII.GetBytes(XmpNamespace + "\0" +
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
            "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"46,4.2057N\"/></rdf:RDF></x:xmpmeta>");
        return jpeg.Take(2).Concat(Segment(0xE1, exif)).Concat(Segment(0xE1, xmp)).Concat(jpeg.Skip(2)).ToArray();
    }

    private static void Entry(BinaryWriter w, ushort tag, ushort type, uint count, uint value)
    {
        w.Write(tag); w.Write(type); w.Write(count);
        if (type == 3) { w.Write((ushort)value); w.Write((ushort)0); } // a SHORT sits left-justified in the 4-byte field
        else w.Write(value);
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        return new byte[] { 0xFF, marker }.Concat(length).Concat(payload).ToArray();
    }

    /// <summary>The markers of a JPEG's header segments, from SOI up to the start of the scan (SOS).</summary>
    public static List<byte> HeaderMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            markers.Add(marker);
            if (marker == 0xDA) break; // SOS: entropy-coded data follows
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }
        return markers;
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>The latitude's rationals as they sit in the EXIF (little-endian), to look for in the stored bytes.</summary>
    public static byte[] LatitudeBytes() => Latitude.SelectMany(BitConverter.GetBytes).ToArray();
}
