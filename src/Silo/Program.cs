using Dispatch.Silo.Commands;

namespace Dispatch.Silo;

/// <summary>
/// A dedicated silo without the web host, configured like the co-hosted one; or one of the
/// operator's commands (<c>migrate</c>, <c>backup</c>, <c>verify-backup</c>, <c>restore</c>,
/// <c>reset-password</c>, …), which runs and exits. <c>--help</c> lists them (<see cref="SiloCommandLine"/>).
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => SiloCommandLine.RunAsync(args, Console.Out, Console.Error);
}
