namespace Dispatch.Bench.Servers;

// Placeholder: being written.
public static class BareHubServer
{
    public static WebApplication Build(string[] args, string signingKey) => throw new NotSupportedException(signingKey);
}
