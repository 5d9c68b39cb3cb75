using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Applications;

/// <summary>One report-in, keyed by <see cref="GrainKeys.Application"/> with its id.</summary>
public interface IApplicationGrain : IGrainWithStringKey
{
    /// <summary>Stores the application (then lists it with its community); the same application again answers it unchanged.</summary>
    Task<Outcome<ApplicationView>> Submit(NewApplication application);

    Task<ApplicationView?> Get();

    /// <summary>Approves a waiting application; approving it again answers it as it is (so a retry can finish what approval starts).</summary>
    Task<Outcome<ApplicationView>> Approve(Actor actor);

    /// <summary>Rejects a waiting application with a reason the applicant is shown.</summary>
    Task<Outcome<ApplicationView>> Reject(Actor actor, string reason);

    /// <summary>Every decision about the application, oldest first.</summary>
    Task<ImmutableArray<ApplicationEvent>> GetTrail();
}

/// <summary>The applications made to one community, keyed by <see cref="GrainKeys.CommunityApplications"/>.</summary>
public interface ICommunityApplicationsGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates the line of an application; idempotent.</summary>
    Task Record(ApplicationSummary summary);

    /// <summary>The lines, newest first, optionally of one status only.</summary>
    Task<ImmutableArray<ApplicationSummary>> List(ApplicationStatus? status);

    /// <summary>The application of this applicant, if they applied here.</summary>
    Task<ApplicationSummary?> FindByUsername(string username);
}
