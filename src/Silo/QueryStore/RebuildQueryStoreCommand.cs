using Dispatch.Requests;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// <c>dotnet run --project src/Silo -- rebuild-query-store</c>: brings the schema up to this
/// build, empties the query store and projects every request again from its stored grain state,
/// on the store the usual settings name (<c>Dispatch:Storage:Provider</c>, <c>ConnectionStrings:Dispatch</c>,
/// <c>Dispatch:DataDir</c>, <c>Dispatch:Orleans:ServiceId</c>). Safe beside running silos (their
/// projection writes only newer rows), though lists read empty until it is done.
/// </summary>
public static class RebuildQueryStoreCommand
{
    public const string Name = "rebuild-query-store";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        var storage = builder.AddDispatchStorage();
        var orleans = builder.GetOrleansOptions();
        builder.Services.AddSerializer(serializer => serializer
            .AddAssembly(typeof(RequestGrain).Assembly)
            .AddAssembly(typeof(IRequestGrain).Assembly));
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatch.RebuildQueryStore");
        await SchemaInitializer.Migrate(storage, logger, CancellationToken.None);

        var database = new QueryStoreDatabase(storage);
        var serializer = new OrleansGrainStorageSerializer(host.Services.GetRequiredService<Serializer>());
        var written = new QueryStoreCatchUp(database, new QueryStoreWriter(database), serializer, orleans.ServiceId, logger)
            .Run(rebuild: true, CancellationToken.None);
        await Console.Out.WriteLineAsync($"Query store on {storage.Provider} rebuilt: {written} request(s) projected.");
        return 0;
    }
}
