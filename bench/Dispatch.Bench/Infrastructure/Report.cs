using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dispatch.Bench.Infrastructure;

/// <summary>What the bench prints: progress on stderr, the side-by-side table on stdout, and the JSON summary.</summary>
public static class Report
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly System.Diagnostics.Stopwatch Since = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>A progress line, with the seconds since the bench started.</summary>
    public static void Progress(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Since.Elapsed.TotalSeconds,6:F1}s] {message}"));

    /// <summary>Prints rows under a header, each column as wide as its widest cell; numbers right-aligned.</summary>
    public static void Table(string title, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => c < r.Count ? r[c].Length : 0)).ToArray();
        Console.WriteLine();
        Console.WriteLine(title);
        for (var r = 0; r < all.Count; r++)
        {
            var cells = all[r].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            Console.WriteLine("  " + string.Join("  ", cells));
            if (r == 0)
            {
                Console.WriteLine("  " + string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    public static string Number(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Milliseconds(double value) => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    public static async Task WriteJsonAsync<T>(string? path, T summary)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var file = File.Create(full);
        await JsonSerializer.SerializeAsync(file, summary, Json);
        Progress($"Wrote {full}");
    }

    /// <summary>The machine, for the record: the figures mean little without it.</summary>
    public static MachineInfo Machine() => new(
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        DateTimeOffset.UtcNow);
}

public sealed record MachineInfo(int Cores, string Os, string Runtime, DateTimeOffset MeasuredAt);
