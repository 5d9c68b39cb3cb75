using System.CommandLine;
using Dispatch.Requests;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.QueryStore;
using Dispatch.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.Silo.Commands;

/// <summary>
/// <c>rebuild-query-store</c>: brings the schema up to this build, empties the query store and
/// projects every request again from its stored grain state, on the store the usual settings name
/// (<c>Dispatch:Storage:Provider</c>, <c>ConnectionStrings:Dispatch</c>, <c>Dispatch:DataDir</c>,
/// <c>Dispatch:Orleans:ServiceId</c>). Safe beside running silos (their projection writes only
/// newer rows), though lists read empty until it is done.
/// </summary>
public static class RebuildQueryStoreCommand
{
    public static Command Create(SiloCommandContext context)
    {
        var command = new Command("rebuild-query-store", "Project every request again from grain state into the query store, then exit.");
        command.SetAction((result, ct) => context.Run(async () =>
        {
            var builder = SiloCommandContext.Builder(result);
            var storage = builder.AddDispatchStorage();
            var orleans = builder.GetOrleansOptions();
            builder.Services.AddSerializer(serializer => serializer
                .AddAssembly(typeof(RequestGrain).Assembly)
                .AddAssembly(typeof(IRequestGrain).Assembly));
            using var host = builder.Build();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatch.RebuildQueryStore");
            await SchemaInitializer.Migrate(storage, logger, ct);

            var database = new QueryStoreDatabase(storage);
            var serializer = new OrleansGrainStorageSerializer(host.Services.GetRequiredService<Serializer>());
            var written = new QueryStoreCatchUp(database, new QueryStoreWriter(database, SqliteWriteGate.Open), serializer, orleans.ServiceId, logger)
                .Run(rebuild: true, ct);
            await context.Output.WriteLineAsync($"Query store on {storage.Provider} rebuilt: {written} request(s) projected.");
        }));
        return command;
    }
}
