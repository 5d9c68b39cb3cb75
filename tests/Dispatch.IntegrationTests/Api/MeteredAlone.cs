namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Tests that scrape <c>/metrics</c> run alone, after the parallel collections. OpenTelemetry
/// merges the instruments of every in-process host that share a meter name (ASP.NET Core's,
/// Orleans') into one stream, and drops that stream when any of those hosts stops; a host of
/// another test class stopping mid-scrape would empty this host's <c>http_server_*</c> series.
/// One host per process, as in production, has no such neighbour.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeteredAlone
{
    public const string Name = "Metered alone";
}
