using System.Globalization;
using System.Text;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// What a robot posts, before the vendor's wire format: one message alone or several merged into a
/// digest, split into numbered parts at the vendor's byte limit.
/// </summary>
public sealed record RobotPost(string Title, string Body);

/// <summary>Digests and byte-limit splitting, shared by the robots; pure so it is tested alone.</summary>
public static class RobotText
{
    /// <summary>One message stands alone; several become one digest listing each title with its text.</summary>
    public static RobotPost Compose(IReadOnlyList<ChannelMessage> batch, string digestTitle)
    {
        ArgumentOutOfRangeException.ThrowIfZero(batch.Count);
        if (batch.Count == 1)
        {
            return new RobotPost(batch[0].Title, batch[0].Text);
        }

        var body = new StringBuilder();
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0) body.Append("\n\n");
            body.Append("**").Append(i + 1).Append(". ").Append(batch[i].Title).Append("**\n").Append(batch[i].Text);
        }

        return new RobotPost(string.Format(CultureInfo.InvariantCulture, digestTitle, batch.Count), body.ToString());
    }

    /// <summary>
    /// Splits <paramref name="text"/> into parts of at most <paramref name="maxBytes"/> UTF-8 bytes,
    /// each but a lone one starting "(i/n) ". Cuts fall on a line break when one is in the second half
    /// of a part, else on a character boundary (never inside a surrogate pair).
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 32);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return [text];
        }

        // The numbering takes bytes from every part; grow the room for it until the count fits.
        for (var digits = 1; ; digits++)
        {
            var widest = new string('9', digits);
            var reserved = Encoding.UTF8.GetByteCount($"({widest}/{widest}) ");
            var chunks = Cut(text, maxBytes - reserved);
            if (chunks.Count.ToString(CultureInfo.InvariantCulture).Length <= digits)
            {
                return chunks.Select((chunk, i) => $"({i + 1}/{chunks.Count}) {chunk}").ToList();
            }
        }
    }

    private static List<string> Cut(string text, int budget)
    {
        var chunks = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = start;
            var bytes = 0;
            while (end < text.Length)
            {
                var width = char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
                if (bytes + size > budget) break;
                bytes += size;
                end += width;
            }

            if (end == text.Length)
            {
                chunks.Add(text[start..]);
                break;
            }

            var lineBreak = text.LastIndexOf('\n', end - 1, end - start);
            if (lineBreak > start + ((end - start) / 2))
            {
                chunks.Add(text[start..lineBreak]);
                start = lineBreak + 1;
            }
            else
            {
                chunks.Add(text[start..end]);
                start = end;
            }
        }

        return chunks;
    }
}
