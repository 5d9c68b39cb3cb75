using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Sheets;

/// <summary>
/// The OpenAPI description of a sheet upload's body, which the handler reads itself (so that a
/// wrong form is refused as <c>errors.file</c>, not by the framework): a multipart form with the
/// sheet as its <c>file</c> part.
/// </summary>
public static class SheetUpload
{
    public static RouteHandlerBuilder AcceptsSheet(this RouteHandlerBuilder builder) =>
        builder.AcceptsFile($"An .xlsx workbook (its first worksheet) or a UTF-8 CSV file, at most {SheetFile.MaxBytes / (1024 * 1024)} MB.");
}
