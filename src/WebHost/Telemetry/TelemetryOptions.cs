using OpenTelemetry.Exporter;

namespace Dispatch.WebHost.Telemetry;

/// <summary>The <c>Dispatch:Telemetry</c> settings.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Dispatch:Telemetry";

    /// <summary>The standard variable that also turns the OTLP export on (with the other <c>OTEL_EXPORTER_OTLP_*</c> variables).</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where to send metrics, traces and logs by OTLP; unset (and no <see cref="StandardEndpointVariable"/>): no export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport for <see cref="OtlpEndpoint"/>: <c>Grpc</c> (port 4317 by convention) or <c>HttpProtobuf</c> (4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>Whether <c>/metrics</c> answers Prometheus' text format.</summary>
    public bool Prometheus { get; set; } = true;
}
