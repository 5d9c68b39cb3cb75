using System.Globalization;
using System.Security.Cryptography;
using Dispatch.Common;
using MiniExcelLibs;

namespace Dispatch.WebHost.Sheets;

/// <summary>An uploaded sheet's rows as text (the first worksheet of a workbook, or a CSV file) and the hash of its bytes.</summary>
public sealed record SheetFile(IReadOnlyList<IReadOnlyList<string?>> Rows, string Hash)
{
    /// <summary>Bigger than a 1,000-row sheet of requests needs, small enough to hold in memory.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads the <c>file</c> part of a multipart form: an .xlsx workbook (a zip, by its first bytes)
    /// or a CSV file (UTF-8, with or without BOM). Anything else, and a file that cannot be read, is
    /// refused with <c>errors.file</c>, as is a file without a header and at least one row.
    /// </summary>
    public static async Task<(SheetFile? File, ValidationErrors? Errors)> Read(HttpRequest http, int maxRows)
    {
        if (!http.HasFormContentType)
        {
            return Refused("notMultipart", "Send the sheet as the 'file' part of a multipart/form-data body.");
        }

        IFormFile? upload;
        try
        {
            var form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
            upload = form.Files.GetFile("file");
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Refused("unreadable", "The form could not be read: " + exception.Message);
        }

        if (upload is null || upload.Length == 0)
        {
            return Refused("required", "'file' is required: an .xlsx or .csv sheet.");
        }

        if (upload.Length > MaxBytes)
        {
            return Refused("tooLarge", $"The sheet is larger than {MaxBytes / (1024 * 1024)} MB.");
        }

        var bytes = new MemoryStream();
        await upload.CopyToAsync(bytes, http.HttpContext.RequestAborted);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        bytes.Position = 0;
        var type = IsZip(bytes) ? ExcelType.XLSX : LooksLikeText(bytes) ? ExcelType.CSV : (ExcelType?)null;
        if (type is null)
        {
            return Refused("notASheet", "The file is not an .xlsx workbook or a CSV file.");
        }

        // Excel on a Chinese system saves "CSV" in GB18030 unless told "CSV UTF-8": refused, with how to fix it,
        // rather than read as garbled headers.
        if (type == ExcelType.CSV && !IsUtf8(bytes))
        {
            return Refused("notUtf8", "The CSV file is not UTF-8: save it as \"CSV UTF-8\", or upload the .xlsx workbook.");
        }

        List<IReadOnlyList<string?>> rows = [];
        try
        {
            foreach (IDictionary<string, object?> row in bytes.Query(useHeaderRow: false, excelType: type.Value))
            {
                rows.Add([.. row.Values.Select(Text)]);
                if (rows.Count > maxRows + 1 + 100)
                {
                    break; // far past the limit: no need to read on
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The readers throw what they meet (a broken zip, XML or quoting): all of it means "not a sheet we can read".
            return Refused("unreadable", $"The {(type == ExcelType.XLSX ? "workbook" : "CSV file")} could not be read.");
        }

        while (rows.Count > 0 && RequestSheet.IsBlank(rows[^1]))
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (rows.Count < 2)
        {
            return Refused("noRows", "The sheet has no rows under its header.");
        }

        if (rows.Skip(1).Count(r => !RequestSheet.IsBlank(r)) > maxRows)
        {
            return Refused("tooManyRows", $"The sheet has more than {maxRows} rows; split it.");
        }

        return (new SheetFile(rows, hash), null);
    }

    /// <summary>The sheet refused as a whole, naming <c>file</c>, with <paramref name="code"/> for a reader that words it.</summary>
    private static (SheetFile?, ValidationErrors?) Refused(string code, string message) => (null, new ValidationErrors().Add("file", message, code));

    private static bool IsZip(MemoryStream bytes) =>
        bytes.Length >= 4 && bytes.GetBuffer() is var b && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;

    /// <summary>A CSV file is text: no NUL byte in its first kilobytes (a binary file has them soon).</summary>
    private static bool LooksLikeText(MemoryStream bytes) =>
        !bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, 8192)).Contains((byte)0);

    private static bool IsUtf8(MemoryStream bytes) => System.Text.Unicode.Utf8.IsValid(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));

    private static string? Text(object? cell) => cell switch
    {
        null => null,
        string text => text,
        double number => number.ToString("0.##########", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString(),
    };
}
