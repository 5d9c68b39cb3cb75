using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Dispatch.WebHost.Open311;

/// <summary>The two formats of every GeoReport resource, named by the URL's extension.</summary>
public enum Open311Format
{
    Xml,
    Json,
}

/// <summary>An object's fields, in order. Values are null, string, bool, int, double, <see cref="DateTimeOffset"/>, <see cref="Open311List"/> or another <see cref="Open311Fields"/>.</summary>
public sealed class Open311Fields : List<KeyValuePair<string, object?>>
{
    public void Add(string name, object? value) => Add(new KeyValuePair<string, object?>(name, value));
}

/// <summary>A list: a JSON array, or in XML one <see cref="ItemName"/> element per item.</summary>
public sealed record Open311List(string ItemName, IReadOnlyList<object> Items);

/// <summary>
/// A GeoReport response, written as JSON or XML from the same fields, so both formats always carry
/// the same data. XML is GeoReport's: the root element wraps the list's items (or the object's
/// fields), element names are the JSON field names, and null is an empty element.
/// </summary>
public sealed class Open311Response(int status, Open311Format format, string root, object content) : IResult
{
    public int Status { get; } = status;

    public static Open311Response Errors(Open311Format format, int status, IEnumerable<string> descriptions) =>
        new(status, format, "errors", new Open311List("error", [.. descriptions.Select(d => new Open311Fields { { "code", status }, { "description", d } })]));

    public static Open311Response Error(Open311Format format, int status, string description) => Errors(format, status, [description]);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var body = format == Open311Format.Json ? Json() : Xml();
        httpContext.Response.StatusCode = Status;
        httpContext.Response.ContentType = format == Open311Format.Json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
    }

    /// <summary>GeoReport date-times: W3C, in UTC, to the second.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Text with the characters XML cannot carry (most control characters, lone surrogates)
    /// replaced by U+FFFD, in both formats so that they carry the same data.
    /// </summary>
    public static string Printable(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                builder?.Append(text, i, 2);
                i++;
            }
            else if (XmlConvert.IsXmlChar(text[i]))
            {
                builder?.Append(text[i]);
            }
            else
            {
                builder ??= new StringBuilder(text.Length).Append(text, 0, i);
                builder.Append('\uFFFD');
            }
        }

        return builder?.ToString() ?? text;
    }

    private byte[] Json()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer, content);
        }

        return stream.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(Printable(text));
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(Time(time));
                break;
            case Open311Fields fields:
                writer.WriteStartObject();
                foreach (var (name, field) in fields)
                {
                    writer.WritePropertyName(name);
                    WriteJson(writer, field);
                }

                writer.WriteEndObject();
                break;
            case Open311List list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"An Open311 document cannot hold a {value.GetType().Name}.");
        }
    }

    private byte[] Xml()
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            WriteXmlContent(writer, content);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteXmlContent(XmlWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                writer.WriteString(Printable(text));
                break;
            case bool flag:
                writer.WriteString(flag ? "true" : "false");
                break;
            case int number:
                writer.WriteString(number.ToString(CultureInfo.InvariantCulture));
                break;
            case double number:
                writer.WriteString(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                writer.WriteString(Time(time));
                break;
            case Open311Fields fields:
                foreach (var (name, field) in fields)
                {
                    writer.WriteStartElement(name);
                    WriteXmlContent(writer, field);
                    writer.WriteEndElement();
                }

                break;
            case Open311List list:
                foreach (var item in list.Items)
                {
                    writer.WriteStartElement(list.ItemName);
                    WriteXmlContent(writer, item);
                    writer.WriteEndElement();
                }

                break;
            default:
                throw new InvalidOperationException($"An Open311 document cannot hold a {value.GetType().Name}.");
        }
    }
}
