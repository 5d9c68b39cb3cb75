using Microsoft.OpenApi;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// The OpenAPI description of an upload whose handler reads the form itself (so that a wrong form
/// is refused as <c>errors.file</c>, not by the framework with a 415): a multipart form with the
/// file as its <c>file</c> part.
/// </summary>
public static class FileUpload
{
    public static RouteHandlerBuilder AcceptsFile(this RouteHandlerBuilder builder, string description) =>
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
                                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = description },
                            },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });
}
