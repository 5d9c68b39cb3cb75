using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Small real PNG pictures drawn in code for the shop's tests and screenshots: a product (a
/// thermos cup, a bag of rice, a bar of soap) on a soft background, so that a page shows what a
/// real picture looks like without a binary file in the repository.
/// </summary>
public static class TestPictures
{
    public enum Product
    {
        Thermos,
        Rice,
        Soap,
    }

    /// <summary>A <paramref name="size"/>×<paramref name="size"/> PNG of <paramref name="product"/>.</summary>
    public static byte[] Png(Product product, int size = 240) => Draw(product, size, size, noise: 0);

    /// <summary>
    /// What a phone camera sends: a large picture with sensor noise (so it does not compress),
    /// several MB as a PNG; the product is drawn in a square in the middle.
    /// </summary>
    public static byte[] Photo(Product product, int width = 2000, int height = 1500) => Draw(product, width, height, noise: 24);

    private static byte[] Draw(Product product, int width, int height, int noise)
    {
        var random = new Random(7);
        var side = Math.Min(width, height);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = Paint(product, (x - ((width - side) / 2.0) + 0.5) / side, (y - ((height - side) / 2.0) + 0.5) / side);
                var at = ((y * width) + x) * 3;
                var n = noise == 0 ? 0 : random.Next(-noise, noise + 1);
                (pixels[at], pixels[at + 1], pixels[at + 2]) = (Clamp(r + n), Clamp(g + n), Clamp(b + n));
            }
        }

        return Encode(width, height, pixels);
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static (byte, byte, byte) Paint(Product product, double x, double y)
    {
        // A soft warm background, lighter at the top, and a shadow under the product.
        var background = Mix((255, 247, 236), (246, 228, 208), y);
        var shadow = Ellipse(x, y, 0.5, 0.86, 0.32, 0.05) ? Mix(background, (120, 100, 80), 0.25) : background;
        return product switch
        {
            Product.Thermos => Thermos(x, y, shadow),
            Product.Rice => Rice(x, y, shadow),
            _ => Soap(x, y, shadow),
        };
    }

    private static (byte, byte, byte) Thermos(double x, double y, (byte, byte, byte) under)
    {
        // The lid, the body with a band and a highlight.
        if (RoundRect(x, y, 0.36, 0.14, 0.64, 0.26, 0.03))
        {
            return Shade((70, 80, 96), x, 0.36, 0.64);
        }

        if (RoundRect(x, y, 0.33, 0.25, 0.67, 0.85, 0.06))
        {
            if (y is > 0.44 and < 0.52)
            {
                return Shade((245, 245, 245), x, 0.33, 0.67);
            }

            return x is > 0.40 and < 0.44 && y is > 0.3 and < 0.8 ? ((byte, byte, byte))(236, 120, 110) : Shade((214, 48, 49), x, 0.33, 0.67);
        }

        return under;
    }

    private static (byte, byte, byte) Rice(double x, double y, (byte, byte, byte) under)
    {
        // A sack, tied at the top, with a green label.
        if (RoundRect(x, y, 0.43, 0.12, 0.57, 0.22, 0.03))
        {
            return Shade((196, 160, 104), x, 0.43, 0.57);
        }

        var half = 0.2 + (0.1 * Math.Clamp((y - 0.2) / 0.2, 0, 1));
        if (y is > 0.2 and < 0.86 && Math.Abs(x - 0.5) < half)
        {
            return RoundRect(x, y, 0.36, 0.46, 0.64, 0.66, 0.03)
                ? ((byte, byte, byte))(46, 139, 87)
                : Shade((236, 214, 170), x, 0.5 - half, 0.5 + half);
        }

        return under;
    }

    private static (byte, byte, byte) Soap(double x, double y, (byte, byte, byte) under)
    {
        if (RoundRect(x, y, 0.22, 0.5, 0.78, 0.84, 0.1))
        {
            return Ellipse(x, y, 0.5, 0.67, 0.16, 0.06) ? ((byte, byte, byte))(160, 210, 240) : Shade((64, 158, 220), x, 0.22, 0.78);
        }

        // Bubbles above the bar.
        return Ellipse(x, y, 0.36, 0.38, 0.06, 0.06) || Ellipse(x, y, 0.58, 0.3, 0.08, 0.08) || Ellipse(x, y, 0.7, 0.42, 0.04, 0.04)
            ? Mix(under, (200, 230, 250), 0.7)
            : under;
    }

    private static bool RoundRect(double x, double y, double left, double top, double right, double bottom, double radius)
    {
        if (x < left || x > right || y < top || y > bottom)
        {
            return false;
        }

        var cx = Math.Clamp(x, left + radius, right - radius);
        var cy = Math.Clamp(y, top + radius, bottom - radius);
        return ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= radius * radius;
    }

    private static bool Ellipse(double x, double y, double cx, double cy, double rx, double ry) =>
        (((x - cx) / rx) * ((x - cx) / rx)) + (((y - cy) / ry) * ((y - cy) / ry)) <= 1;

    /// <summary>Lit from the left: lighter near the left edge, darker near the right.</summary>
    private static (byte, byte, byte) Shade((byte R, byte G, byte B) colour, double x, double left, double right)
    {
        var t = Math.Clamp((x - left) / (right - left), 0, 1);
        return t < 0.3 ? Mix(colour, (255, 255, 255), (0.3 - t) * 0.8) : Mix(colour, (0, 0, 0), (t - 0.3) * 0.35);
    }

    private static (byte, byte, byte) Mix((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double t) =>
        ((byte)(a.R + ((b.R - a.R) * t)), (byte)(a.G + ((b.G - a.G) * t)), (byte)(a.B + ((b.B - a.B) * t)));

    private static byte[] Encode(int width, int height, byte[] rgb)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        for (var y = 0; y < height; y++)
        {
            Buffer.BlockCopy(rgb, y * width * 3, raw, (y * ((width * 3) + 1)) + 1, width * 3);
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc(typed));
        png.Write(four);
    }

    private static uint Crc(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
