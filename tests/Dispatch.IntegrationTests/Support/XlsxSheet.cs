using System.IO.Compression;
using System.Xml.Linq;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Reads the first worksheet of an .xlsx file as the tests need it: each cell's text and whether
/// Excel stores it as a number. Plain OOXML (a zip of XML parts), so the test depends on no writer.
/// </summary>
public sealed record XlsxCell(string Text, bool IsNumber);

public static class XlsxSheet
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static List<List<XlsxCell>> Read(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } strings
            ? XDocument.Load(strings.Open()).Descendants(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList()
            : [];
        var sheet = zip.GetEntry("xl/worksheets/sheet1.xml") ?? throw new InvalidDataException("The workbook has no first sheet.");
        return [.. XDocument.Load(sheet.Open()).Descendants(Main + "row").Select(row => row.Elements(Main + "c").Select(cell => Cell(cell, shared)).ToList())];
    }

    private static XlsxCell Cell(XElement cell, List<string> shared)
    {
        var value = cell.Element(Main + "v")?.Value;
        return (string?)cell.Attribute("t") switch
        {
            "s" => new XlsxCell(shared[int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture)], false),
            "inlineStr" => new XlsxCell(string.Concat(cell.Descendants(Main + "t").Select(t => t.Value)), false),
            "str" or "b" or "e" => new XlsxCell(value ?? "", false),
            _ => new XlsxCell(value ?? "", value is not null),
        };
    }
}
