using System.CommandLine;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Commands;

/// <summary><c>migrate</c>: for operators who apply schema changes as a step of their own, before starting silos.</summary>
public static class MigrateCommand
{
    public static Command Create(SiloCommandContext context)
    {
        var command = new Command("migrate", "Bring the store's schema up to this build, then exit.");
        command.SetAction((result, ct) => context.Run(async () =>
        {
            var builder = SiloCommandContext.Builder(result);
            var storage = builder.AddDispatchStorage();
            using var host = builder.Build();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatch.Migrate");
            var version = await SchemaInitializer.Migrate(storage, logger, ct);
            await context.Output.WriteLineAsync($"Dispatch schema on {storage.Provider}: version {version}, up to date.");
        }));
        return command;
    }
}
