namespace Dispatch.WebHost.Api;

public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder api) => api;
}
