namespace Dispatch.WebHost.Api;

public static class StatisticsApi
{
    public static RouteGroupBuilder MapStatisticsApi(this RouteGroupBuilder api) => api;
}
