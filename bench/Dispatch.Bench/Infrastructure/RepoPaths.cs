namespace Dispatch.Bench.Infrastructure;

/// <summary>Where things are: the repository (for scripts/ and the web host's content) and this program's output.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The folder holding Dispatch.sln.</summary>
    public static string Root => root.Value;

    /// <summary>The web host's content root: its wwwroot and appsettings.json.</summary>
    public static string WebHostContent => Path.Combine(Root, "src", "WebHost");

    /// <summary>The script that installs and starts Debian's PostgreSQL and prints a connection string.</summary>
    public static string PostgresScript => Path.Combine(Root, "scripts", "postgres.sh");

    /// <summary>An assembly built next to this program (Dispatch.WebHost.dll, Dispatch.Bench.dll).</summary>
    public static string Output(string file) => Path.Combine(AppContext.BaseDirectory, file);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Dispatch.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"Dispatch.sln was not found above {AppContext.BaseDirectory}: run the bench from the repository.");
    }
}
