using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Compliance.Classification;

namespace Dispatch.Common;

/// <summary>
/// The kinds of data Dispatch must keep out of logs, metrics, traces, console events and exports.
/// Fields carry them as attributes; the hosts' redactors (see <c>RedactionHostingExtensions</c>)
/// erase values so marked wherever they are logged, and <see cref="ClassifiedText"/> leaves them
/// out when a record is printed.
/// </summary>
public static class DataClasses
{
    public const string Taxonomy = "Dispatch";

    /// <summary>About a resident: a beneficiary's or a submitter's name, phone, address, email.</summary>
    public static DataClassification Personal { get; } = new(Taxonomy, nameof(Personal));

    /// <summary>Grants something: check-in codes, passwords, refresh tokens, API keys.</summary>
    public static DataClassification Secret { get; } = new(Taxonomy, nameof(Secret));
}

/// <summary>Personal data of a resident (<see cref="DataClasses.Personal"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataClasses.Personal);

/// <summary>A secret (<see cref="DataClasses.Secret"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class SecretDataAttribute() : DataClassificationAttribute(DataClasses.Secret);

/// <summary>
/// Prints a record as the compiler would, except that a property carrying a
/// <see cref="DataClassificationAttribute"/> (on the property or its constructor parameter)
/// shows its class instead of its value: a record that reaches a log line, an exception message
/// or a debugger display does not carry a resident's contact or a code with it.
/// </summary>
public static class ClassifiedText
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string? Class)[]> Shapes = new();

    public static string Of(object value)
    {
        var type = value.GetType();
        var text = new StringBuilder(type.Name).Append(" { ");
        var first = true;
        foreach (var (property, dataClass) in Shapes.GetOrAdd(type, Shape))
        {
            text.Append(first ? "" : ", ").Append(property.Name).Append(" = ");
            first = false;
            if (dataClass is not null)
            {
                text.Append(property.GetValue(value) is null ? "null" : $"[{dataClass}]");
            }
            else
            {
                text.Append(property.GetValue(value));
            }
        }

        return text.Append(first ? "}" : " }").ToString();
    }

    private static (PropertyInfo, string?)[] Shape(Type type)
    {
        // A positional record's attribute may sit on the constructor parameter rather than the property.
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in type.GetConstructors().SelectMany(c => c.GetParameters()))
        {
            if (parameter is { Name: { } name } && parameter.GetCustomAttribute<DataClassificationAttribute>() is { } marked)
            {
                parameters[name] = marked.Classification.Value;
            }
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => (p, p.GetCustomAttribute<DataClassificationAttribute>()?.Classification.Value ?? parameters.GetValueOrDefault(p.Name)))
            .ToArray();
    }
}
