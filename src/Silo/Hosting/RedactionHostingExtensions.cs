using Dispatch.Common;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Hosting;

public static class RedactionHostingExtensions
{
    /// <summary>
    /// Erases data classified <see cref="DataClasses.Personal"/> or <see cref="DataClasses.Secret"/>
    /// from every log record: a <c>[LoggerMessage]</c> parameter, or a property of a
    /// <c>[LogProperties]</c> object, that carries one of those classes is logged as an empty
    /// value, whichever logger provider (console, OTLP) writes it. Safe to call more than once.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchRedaction(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(RedactionRegistered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<RedactionRegistered>();
        builder.Services.AddRedaction(redaction => redaction.SetRedactor<ErasingRedactor>(
            new DataClassificationSet(DataClasses.Personal),
            new DataClassificationSet(DataClasses.Secret)));
        builder.Logging.EnableRedaction();
        return builder;
    }

    private sealed class RedactionRegistered;
}
