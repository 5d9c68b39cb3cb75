using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.WebHost.Sheets;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// The words of an export for a reader: without <c>lang</c> a file's header row holds the JSON
/// names of its columns (what scripts read, unchanged); with <c>lang=zh-CN</c> (any <c>zh</c>) it
/// holds their Chinese names and codes such as a kind or a status are written as their Chinese
/// names, with any other <c>lang</c> the English ones.
/// </summary>
public sealed class ExportWords
{
    private static readonly Dictionary<string, (string Zh, string En)> Values = new(StringComparer.Ordinal)
    {
        ["wish"] = ("微心愿", "Wish"),
        ["errand"] = ("帮办代办", "Errand"),
        ["case"] = ("信访代办", "Case"),
        ["activity"] = ("组团服务", "Group activity"),
        ["normal"] = ("一般", "Normal"),
        ["urgent"] = ("紧急", "Urgent"),
        ["critical"] = ("特急", "Critical"),
        ["open"] = ("待认领", "Open"),
        ["claimed"] = ("已认领", "Claimed"),
        ["inProgress"] = ("进行中", "In progress"),
        ["completed"] = ("已完成", "Completed"),
        ["verified"] = ("已核实", "Verified"),
        ["cancelled"] = ("已取消", "Cancelled"),
    };

    private readonly SheetLanguage? language;

    private ExportWords(SheetLanguage? language) => this.language = language;

    /// <summary>JSON names and codes, as the file has always had them.</summary>
    public static ExportWords Codes { get; } = new(null);

    /// <summary>The words for <paramref name="lang"/>: codes when it is null.</summary>
    public static ExportWords For(string? lang) => lang is null ? Codes : new(RequestSheet.Language(lang, null));

    /// <summary>The header row: each column's name in the reader's language (the JSON name when none is known or no language was asked for).</summary>
    public ImmutableArray<string> Header(IEnumerable<string> columns, IReadOnlyDictionary<string, (string Zh, string En)> names) =>
        [.. columns.Select(c => language is { } l && names.TryGetValue(c, out var name) ? (l == SheetLanguage.Zh ? name.Zh : name.En) : c)];

    /// <summary>The Chinese and English names of a code (a kind, an urgency, a status).</summary>
    public static (string Zh, string En) NamesOf(string code) => Values[code];

    /// <summary>A code (a kind, an urgency, a status) in the reader's words, or as it is.</summary>
    public string Value(string code) =>
        language is { } l && Values.TryGetValue(code, out var name) ? (l == SheetLanguage.Zh ? name.Zh : name.En) : code;

    /// <summary>Checks <c>lang</c>: at most a short language tag.</summary>
    public static void Check(string? lang, ValidationErrors errors) =>
        errors.Require(lang is null || (lang.Length is > 0 and <= 35 && lang.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')), "lang", "'lang' must be a language tag such as zh-CN or en.");
}
