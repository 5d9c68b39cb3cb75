using System.Globalization;
using System.Text;
using Dispatch.Common;
using SpreadCheetah;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>The file formats of an export: <c>csv</c> (the default) or <c>xlsx</c>.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// Writes a table to the response as it is produced, as CSV (UTF-8 with a BOM, RFC 4180) or as an
/// Excel workbook (SpreadCheetah, which streams a sheet in 64 KB pieces): the server holds a few
/// hundred rows at most, however many the export has. Cells are text, numbers, times (UTC) or
/// yes/no; a null is an empty cell.
/// </summary>
public abstract class TableExport : IAsyncDisposable
{
    /// <summary>Rows written between two flushes of a CSV export.</summary>
    private const int FlushEvery = 500;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The format named by a <c>format</c> query parameter: csv when absent.</summary>
    public static ExportFormat ParseFormat(string? format, ValidationErrors errors) =>
        Query.ParseEnum<ExportFormat>(format, "format", errors) ?? ExportFormat.Csv;

    /// <summary>Sets the response's type and file name, then writes the header row.</summary>
    public static async Task<TableExport> Start(
        HttpResponse response, ExportFormat format, string fileName, IReadOnlyList<string> header, CancellationToken cancellationToken)
    {
        var extension = format == ExportFormat.Xlsx ? "xlsx" : "csv";
        response.ContentType = format == ExportFormat.Xlsx
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            : "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.{extension}\"";
        TableExport export = format == ExportFormat.Xlsx
            ? await Workbook.Start(new AsyncOnlyStream(response.Body), cancellationToken)
            : await Csv.Start(response.Body, cancellationToken);
        await export.WriteRow([.. header], cancellationToken);
        return export;
    }

    public abstract Task WriteRow(object?[] cells, CancellationToken cancellationToken);

    /// <summary>Writes what is left; the file is complete only after this.</summary>
    public abstract Task Complete(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. Text that a
    /// spreadsheet would take for a formula (=, +, -, @ first) gets a leading apostrophe.
    /// </summary>
    public static string CsvCell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private sealed class Csv(StreamWriter writer) : TableExport
    {
        private int rows;

        public static async Task<TableExport> Start(Stream body, CancellationToken cancellationToken)
        {
            await body.WriteAsync(Utf8Bom, cancellationToken);
            var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true)
            {
                NewLine = "\r\n", // RFC 4180
            };
            return new Csv(writer);
        }

        public override async Task WriteRow(object?[] cells, CancellationToken cancellationToken)
        {
            await writer.WriteLineAsync(string.Join(',', cells.Select(Text)));
            if (++rows % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        public override Task Complete(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

        public override ValueTask DisposeAsync() => writer.DisposeAsync();

        private static string Text(object? cell) => cell switch
        {
            null => "",
            string text => CsvCell(text),
            bool yes => yes ? "true" : "false",
            DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            double number => number.ToString("0.####", CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => CsvCell(cell.ToString()),
        };
    }

    /// <summary>A workbook written to <paramref name="body"/>, which holds the few bytes the zip writes synchronously.</summary>
    private sealed class Workbook(Spreadsheet sheet, AsyncOnlyStream body) : TableExport
    {
        public static async Task<TableExport> Start(AsyncOnlyStream body, CancellationToken cancellationToken)
        {
            var sheet = await Spreadsheet.CreateNewAsync(body, cancellationToken: cancellationToken);
            await sheet.StartWorksheetAsync("Dispatch", token: cancellationToken);
            return new Workbook(sheet, body);
        }

        public override Task WriteRow(object?[] cells, CancellationToken cancellationToken) =>
            sheet.AddRowAsync(cells.Select(Data).ToArray(), cancellationToken).AsTask();

        public override async Task Complete(CancellationToken cancellationToken)
        {
            await sheet.FinishAsync(cancellationToken);
            await sheet.DisposeAsync();
            await body.FlushAsync(cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            await sheet.DisposeAsync();
            await body.DisposeAsync();
        }

        private static DataCell Data(object? cell) => cell switch
        {
            null => new DataCell((string?)null),
            string text => new DataCell(text),
            bool yes => new DataCell(yes),
            int number => new DataCell(number),
            long number => new DataCell(number),
            double number => new DataCell(number),
            DateTimeOffset time => new DataCell(time.UtcDateTime),
            _ => new DataCell(cell.ToString()),
        };
    }
}
