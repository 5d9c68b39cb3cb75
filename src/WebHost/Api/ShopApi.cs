namespace Dispatch.WebHost.Api;

public static class ShopApi
{
    public static RouteGroupBuilder MapShopApi(this RouteGroupBuilder api) => api;
}
