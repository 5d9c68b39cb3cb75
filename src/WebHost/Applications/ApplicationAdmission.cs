using Dispatch.Accounts;
using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.WebHost.Accounts;

namespace Dispatch.WebHost.Applications;

/// <summary>
/// What an approval does to the applicant: their account becomes a volunteer of the community,
/// registered exactly as a staff-made one (<see cref="AccountRegistration"/>), and a unit becomes
/// an organisation of the community with its contact as member. Every step is idempotent, so
/// approving again finishes an admission that a failure interrupted.
/// </summary>
public sealed partial class ApplicationAdmission(IGrainFactory grains, AccountRegistration registration, ILogger<ApplicationAdmission> logger)
{
    /// <summary>Null when the applicant is admitted, else why not.</summary>
    public async Task<Failure?> Admit(ApplicationView application)
    {
        if (application is not { Status: ApplicationStatus.Approved, DecidedBy: { } decidedBy })
        {
            return Failure.Conflict("notApproved", $"Application '{application.Id}' is not approved.");
        }

        var account = grains.GetGrain<IAccountGrain>(GrainKeys.Account(application.Username));
        var promoted = await account.ChangeRole(AccountRole.Volunteer, application.CommunityId, decidedBy);
        if (promoted.Value is not { } volunteer)
        {
            return promoted.Failure;
        }

        await registration.EnsureRegistered(volunteer);
        if (application is { Kind: ApplicationKind.Unit, OrganisationId: { } organisationId })
        {
            // Created in the name of whoever approved, so that a retry by anyone is the same create.
            var decider = new Actor(decidedBy, AccountRole.Staff);
            var organisation = grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisationId));
            var created = await organisation.Create(new NewOrganisation(organisationId, application.Unit ?? application.Name, [application.CommunityId]), decider);
            if (created.Failure is { } notCreated)
            {
                return notCreated;
            }

            if ((await organisation.AddMember(application.Username, decider)).Failure is { } notMember)
            {
                return notMember;
            }
        }

        LogAdmitted(logger, application.Id, application.Kind, application.CommunityId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Application {Application} ({Kind}) admitted to community {Community}")]
    private static partial void LogAdmitted(ILogger logger, string application, ApplicationKind kind, string community);
}
