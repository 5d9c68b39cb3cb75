using Microsoft.OpenApi;

namespace Dispatch.WebHost.Sheets;

/// <summary>
/// The OpenAPI description of a sheet upload's body, which the handler reads itself (so that a
/// wrong form is refused as <c>errors.file</c>, not by the framework): a multipart form with the
/// sheet as its <c>file</c> part.
/// </summary>
public static class SheetUpload
{
    public static RouteHandlerBuilder AcceptsSheet(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "file" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["file"] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.String,
                                    Format = "binary",
                                    Description = $"An .xlsx workbook (its first worksheet) or a UTF-8 CSV file, at most {SheetFile.MaxBytes / (1024 * 1024)} MB.",
                                },
                            },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });
}
