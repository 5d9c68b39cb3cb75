using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Hosting;

namespace Dispatch.Silo;

/// <summary>A dedicated silo without the web host, configured like the co-hosted one.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddDispatchSilo();
        await builder.Build().RunAsync();
    }
}
