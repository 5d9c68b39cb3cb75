using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;

namespace Dispatch.Honours;

/// <summary>One service on a certificate: what, where (the organiser's name), when, how long.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CertificateService")]
public sealed record CertificateService(string Title, string Organiser, DateTimeOffset ServedAt, decimal Hours, HoursSource Source, bool Manual);

/// <summary>
/// A certificate of service (志愿服务证明) for a person and a period, as issued: its figures are
/// stored, so the public check shows what was certified, whatever was recorded after.
/// </summary>
/// <param name="Id">32 hex digits, random: unguessable.</param>
/// <param name="Organiser">The person's community: the organisation that kept their record.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Certificate")]
public sealed record Certificate(
    string Id,
    string Username,
    string PersonName,
    string CommunityId,
    string Organiser,
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    ImmutableArray<CertificateService> Services,
    decimal TotalHours,
    int PersonTimes,
    int Points,
    DateTimeOffset IssuedAt,
    string IssuedBy);

/// <summary>What anyone may see of a certificate: the same figures, without the username or who issued it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PublicCertificate")]
public sealed record PublicCertificate(
    string Id,
    string PersonName,
    string Organiser,
    string Period,
    DateTimeOffset From,
    DateTimeOffset To,
    ImmutableArray<CertificateService> Services,
    decimal TotalHours,
    int PersonTimes,
    int Points,
    DateTimeOffset IssuedAt)
{
    public static PublicCertificate Of(Certificate c) =>
        new(c.Id, c.PersonName, c.Organiser, c.Period, c.From, c.To, c.Services, c.TotalHours, c.PersonTimes, c.Points, c.IssuedAt);
}

/// <summary>One certificate (<c>certificate:{id}</c>): issued once, then only read.</summary>
public interface ICertificateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Issues the certificate of <paramref name="volunteer"/> (the caller checked scope) for
    /// <paramref name="period"/> from their hours, ledger and places; refused when this id was used.
    /// </summary>
    Task<Outcome<Certificate>> Issue(Volunteers.VolunteerView volunteer, HonoursPeriod period, Actor actor);

    [Orleans.Concurrency.ReadOnly]
    Task<Certificate?> Get();
}

public static class CertificateKeys
{
    public const string Prefix = "certificate:";

    public static string For(string id) => Prefix + id;

    /// <summary>True for the shape of an id (32 lowercase hex digits): anything else is not looked up.</summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
