using System.Security.Cryptography;
using Dispatch.Common;

namespace Dispatch.Shop;

/// <summary>
/// The rules of a shop item's picture: a JPEG, PNG or WebP image, recognised by its first bytes
/// (never by the type a client declares), of at most <see cref="MaxBytes"/>. Checked by the web
/// host and again by the grain.
/// </summary>
public static class ShopPictures
{
    /// <summary>The largest picture kept: 1 MiB. The desk scales phone photos down before sending them.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The form field a picture is sent in, and the field refusals name.</summary>
    public const string Field = "file";

    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string WebP = "image/webp";

    /// <summary>The reason codes of refusals: no bytes, not one of the three types, more than <see cref="MaxBytes"/>.</summary>
    public static class Reasons
    {
        public const string Empty = "pictureEmpty";
        public const string Type = "pictureType";
        public const string TooLarge = "pictureTooLarge";
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The image type the bytes start with, or null when they are none of JPEG, PNG and WebP.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            return Jpeg;
        }

        if (bytes.StartsWith(PngSignature))
        {
            return Png;
        }

        // RIFF, a 4-byte length, then WEBP.
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="length"/> bytes starting with <paramref name="head"/> are not a picture
    /// to keep, or null when they are one. Size is told before type, so a large file is not read.
    /// </summary>
    public static Failure? Check(long length, ReadOnlySpan<byte> head)
    {
        if (length <= 0)
        {
            return new Failure(FailureKind.Invalid, Reasons.Empty, $"'{Field}' is empty: send a JPEG, PNG or WebP picture.", Field);
        }

        if (length > MaxBytes)
        {
            return new Failure(FailureKind.Invalid, Reasons.TooLarge, $"'{Field}' is {length} bytes; a picture may have at most {MaxBytes} bytes (1 MB).", Field);
        }

        return Detect(head) is null
            ? new Failure(FailureKind.Invalid, Reasons.Type, $"'{Field}' is not a JPEG, PNG or WebP picture.", Field)
            : null;
    }

    /// <summary>The picture's entity tag: the first 16 hex digits of the SHA-256 of its bytes (the same bytes, the same tag).</summary>
    public static string Tag(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    /// <summary>The address the picture is read at: the tag in the query, so that a new picture is a new address.</summary>
    public static string Url(Guid itemId, string tag) => $"/api/shop/items/{itemId}/picture?v={tag}";
}

/// <summary>A shop item's picture as stored.</summary>
/// <param name="Tag">See <see cref="ShopPictures.Tag"/>; the ETag and the <c>v</c> of its address.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopItemPicture")]
public sealed record ShopItemPicture(
    Guid ItemId,
    byte[] Bytes,
    string ContentType,
    string Tag,
    DateTimeOffset UpdatedAt,
    string UpdatedBy);
