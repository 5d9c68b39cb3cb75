using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>Fails a settings class at start with every problem it lists, each naming its key.</summary>
internal sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options).ToList() is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}
