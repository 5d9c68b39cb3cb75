using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;
using Dispatch.Places;
using Dispatch.Points;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Honours;

/// <summary>Issues and keeps one certificate of service; see <see cref="CertificateRules"/>.</summary>
public sealed partial class CertificateGrain(
    [PersistentState("certificate", StorageNames.Dispatch)] IPersistentState<CertificateGrain.State> state,
    TimeProvider time,
    ILogger<CertificateGrain> logger) : Grain, ICertificateGrain
{
    private string Id => GrainKeys.IdOf(this.GetPrimaryKeyString(), CertificateKeys.Prefix);

    public Task<Certificate?> Get() => Task.FromResult(state.State.Certificate);

    public async Task<Outcome<Certificate>> Issue(VolunteerView volunteer, HonoursPeriod period, Actor actor)
    {
        if (state.State.Certificate is not null)
        {
            return Failure.Conflict("alreadyExists", $"Certificate '{Id}' exists already.");
        }

        var hours = await GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(volunteer.Username)).Get(period.From, period.To);
        var points = await GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer.Username)).GetEarned(period.From, period.To);
        var places = await Task.WhenAll(hours.Entries.Select(e => e.CommunityId).Append(volunteer.CommunityId).Distinct(StringComparer.Ordinal)
            .Select(id => GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get()));
        var names = places.OfType<PlaceInfo>().ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal);

        var certificate = CertificateRules.Compose(Id, volunteer, names, period, hours, points, actor.Username, time.GetUtcNow());
        state.State.Certificate = certificate;
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, Id));
        LogIssued(Id, volunteer.Username, period.Key, certificate.TotalHours, actor.Username);
        return certificate;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {CertificateId} issued to {Volunteer} for {Period}: {Hours} hours, by {By}")]
    private partial void LogIssued(string certificateId, string volunteer, string period, decimal hours, string by);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing certificate {CertificateId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string certificateId);

    [GenerateSerializer, Alias("Dispatch.CertificateGrain.State")]
    public sealed class State
    {
        [Id(0)] public Certificate? Certificate { get; set; }
    }
}

/// <summary>
/// What a certificate of service holds, as plain C#: the person, the organiser that kept their
/// record, each service of the period (oldest first) with its organiser, date and hours (manual
/// ones marked), and the totals. The figures are taken once, when it is issued.
/// </summary>
public static class CertificateRules
{
    public static Certificate Compose(
        string id, VolunteerView volunteer, IReadOnlyDictionary<string, string> placeNames, HonoursPeriod period,
        VolunteerHoursView hours, int points, string issuedBy, DateTimeOffset at)
    {
        var services = hours.Entries
            .Where(e => e.Minutes > 0)
            .OrderBy(e => e.ServedAt)
            .Select(e => new CertificateService(e.Title, placeNames.GetValueOrDefault(e.CommunityId, e.CommunityId), e.ServedAt, HoursLimits.ToHours(e.Minutes), e.Source, e.Manual))
            .ToImmutableArray();
        var minutes = hours.Entries.Where(e => e.Minutes > 0).Sum(e => e.Minutes);
        return new Certificate(
            id, volunteer.Username, volunteer.DisplayName, volunteer.CommunityId,
            placeNames.GetValueOrDefault(volunteer.CommunityId, volunteer.CommunityId),
            period.Key, period.From, period.To, services, HoursLimits.ToHours(minutes), hours.PersonTimes, points, at, issuedBy);
    }
}
