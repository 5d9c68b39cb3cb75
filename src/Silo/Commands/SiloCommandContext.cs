using System.CommandLine;
using Dispatch.Silo.Backup;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Hosting;

namespace Dispatch.Silo.Commands;

/// <summary>What every command of the silo program is given: where to write, and the helpers they share.</summary>
public sealed record SiloCommandContext(TextWriter Output, TextWriter Error)
{
    /// <summary>A host builder over the configuration the command did not take as its own arguments.</summary>
    public static HostApplicationBuilder Builder(ParseResult result)
    {
        var builder = Host.CreateApplicationBuilder([.. result.UnmatchedTokens]);
        SiloCommandLine.QuietFrameworkLogs(builder);
        return builder;
    }

    /// <summary>The store as the silo would find it, from the arguments the command did not take.</summary>
    public static DispatchStorageOptions Storage(ParseResult result)
    {
        var builder = Host.CreateApplicationBuilder([.. result.UnmatchedTokens]);
        return SiloHostingExtensions.ReadStorage(builder.Configuration, builder.Environment.ContentRootPath);
    }

    /// <summary>
    /// Runs a command's work: 0 when done; 1, with the reason on standard error, when it could not
    /// be done (<see cref="CommandException"/>, <see cref="BackupException"/>, or configuration that
    /// names its key).
    /// </summary>
    public async Task<int> Run(Func<Task> work)
    {
        try
        {
            await work();
            return 0;
        }
        catch (Exception e) when (e is CommandException or BackupException or InvalidOperationException)
        {
            await Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}

/// <summary>A command could not do its work; the message says why, for the operator.</summary>
public sealed class CommandException(string message, Exception? inner = null) : Exception(message, inner);
