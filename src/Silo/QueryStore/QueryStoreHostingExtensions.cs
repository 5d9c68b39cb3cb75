using Dispatch.Queries;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;

namespace Dispatch.Silo.QueryStore;

public static class QueryStoreHostingExtensions
{
    /// <summary>
    /// The query store's projection in a silo: the grain storage named <see cref="StorageNames.Dispatch"/>
    /// hands every request state it writes to the <see cref="QueryProjector"/>, which catches up at
    /// start and then writes changes in batches. Call after the grain storage is added.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchQueryStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDispatchRequestQueries();
        services.TryAddSingleton<QueryStoreWriter>();
        services.TryAddSingleton<QueryProjector>();

        // Request grains drop old history entries only once the store holds them.
        services.TryAddSingleton<IHistoryArchive, HistoryArchive>();
        services.TryAddSingleton<IQueryStoreStatus>(sp => sp.GetRequiredService<QueryProjector>());
        services.AddHostedService(sp => sp.GetRequiredService<QueryProjector>());

        var original = services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, StorageNames.Dispatch))
            ?? throw new InvalidOperationException($"The grain storage '{StorageNames.Dispatch}' must be added before the query store.");
        var create = original.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The grain storage '{StorageNames.Dispatch}' is not made by a factory.");
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Dispatch, (sp, key) =>
            new ProjectingGrainStorage((IGrainStorage)create(sp, key), sp.GetRequiredService<QueryProjector>()));
        return builder;
    }

    /// <summary>The query store's reader (<see cref="IRequestQueries"/>), for silos and web hosts of either mode.</summary>
    public static IServiceCollection AddDispatchRequestQueries(this IServiceCollection services)
    {
        services.TryAddSingleton<QueryStoreDatabase>();
        services.TryAddSingleton<IRequestQueries, RequestQueries>();
        return services;
    }
}
