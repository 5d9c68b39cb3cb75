namespace Dispatch.IntegrationTests.Support;

public static class Repository
{
    /// <summary>The folder holding Dispatch.sln, found above the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dispatch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Dispatch.sln was not found above the test folder.");
    }
}
