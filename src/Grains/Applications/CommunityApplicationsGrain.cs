using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Applications;

/// <summary>
/// The list of one community's applications: a line each (id, applicant, status), so that staff
/// can page through them and an applicant's own is found by username. The application grains
/// own the applications; this grain only mirrors their status.
/// </summary>
public sealed class CommunityApplicationsGrain(
    [PersistentState("communityApplications", StorageNames.Dispatch)] IPersistentState<CommunityApplicationsGrain.State> state)
    : Grain, ICommunityApplicationsGrain
{
    public async Task Record(ApplicationSummary summary)
    {
        if (state.State.Lines.TryGetValue(summary.Id, out var current) && current == summary)
        {
            return;
        }

        state.State.Lines[summary.Id] = summary;
        await state.WriteOrReloadAsync(this, _ =>
        {
            if (current is null)
            {
                state.State.Lines.Remove(summary.Id);
            }
            else
            {
                state.State.Lines[summary.Id] = current;
            }
        });
    }

    public Task<ImmutableArray<ApplicationSummary>> List(ApplicationStatus? status) =>
        Task.FromResult(state.State.Lines.Values
            .Where(line => status is null || line.Status == status)
            .OrderByDescending(line => line.SubmittedAt)
            .ThenBy(line => line.Id, StringComparer.Ordinal)
            .ToImmutableArray());

    public Task<ApplicationSummary?> FindByUsername(string username) =>
        Task.FromResult(state.State.Lines.Values.FirstOrDefault(line => string.Equals(line.Username, username, StringComparison.Ordinal)));

    [GenerateSerializer, Alias("Dispatch.CommunityApplicationsGrain.State")]
    public sealed class State
    {
        [Id(0)] public Dictionary<string, ApplicationSummary> Lines { get; set; } = new(StringComparer.Ordinal);
    }
}
