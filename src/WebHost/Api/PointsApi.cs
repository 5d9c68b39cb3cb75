namespace Dispatch.WebHost.Api;

public static class PointsApi
{
    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder api) => api;
}
