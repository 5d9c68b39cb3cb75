namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// The one HTTP client the robots share: pooled connections that are renewed every few minutes
/// (so a vendor's DNS change is seen) without IHttpClientFactory.
/// </summary>
public sealed class RobotHttp(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public static RobotHttp Create(TimeSpan timeout) =>
        new(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = timeout });

    public void Dispose() => Client.Dispose();
}
