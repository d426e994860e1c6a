using Microsoft.AspNetCore.Http;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;

namespace Replica.Cli.Control;

/// <summary>
/// The dashboard page (every asset embedded) and its live feed as server-sent events: the environment's events, and
/// the edge's requests and frames while a page watches.
/// </summary>
internal sealed class DashboardPage(ReplicaEnvironment environment, ControlAccess access, LiveFeed feed, CancellationToken stopping) : IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private readonly object _tapLock = new();
    private IDisposable? _tap;
    private int _watchers;

    /// <summary>Feeds the environment's events (a service starting, healthy, stopped…) to the page until disposed.</summary>
    public void WatchEnvironment()
    {
        _subscriptions.Add(environment.Subscribe(e => feed.Publish("env", EnvironmentEventView.Of(e), ControlJsonContext.Default.EnvironmentEventView)));
    }

    /// <summary>
    /// The edge's tap is listened to only while a page watches the feed: with none open, the edge proxy records nothing
    /// (and buffers no message to show it).
    /// </summary>
    private void Watching(bool start)
    {
        lock (_tapLock)
        {
            _watchers += start ? 1 : -1;
            if (_watchers == 1 && start && _tap is null && environment.Edge is { } edge)
            {
                _tap = edge.Tap.Subscribe(e => feed.Publish("edge", e, ControlJsonContext.Default.EdgeTapEntry));
            }
            else if (_watchers == 0 && _tap is not null)
            {
                _tap.Dispose();
                _tap = null;
            }
        }
    }

    public async Task PageAsync(HttpContext context)
    {
        if (access.RequiresToken && context.Request.Query.TryGetValue("token", out var token))
        {
            if (!access.Same(token.ToString(), access.ControlToken))
            {
                await ControlResponse.WriteErrorAsync(context, 401, "wrong token", ReplicaErrorKind.BadInput);
                return;
            }
            context.Response.Cookies.Append(ControlAccess.CookieName, access.ControlToken, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Redirect("/");
            return;
        }
        context.Response.Headers["Content-Security-Policy"] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        await AssetAsync(context, "index.html", "text/html; charset=utf-8");
    }

    public static async Task AssetAsync(HttpContext context, string name, string contentType)
    {
        await using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded");
        context.Response.ContentType = contentType;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async Task EventsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        Watching(start: true);
        try
        {
            await context.Response.WriteAsync(": replica dashboard feed\n\n", end.Token);
            await context.Response.Body.FlushAsync(end.Token);
            await foreach (var item in feed.ReadAllAsync(end.Token))
            {
                await context.Response.WriteAsync($"data: {item}\n\n", end.Token);
                await context.Response.Body.FlushAsync(end.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away, or the environment is stopping.
        }
        finally
        {
            Watching(start: false);
        }
    }

    /// <summary>Stops feeding the page: the environment's events and the edge's tap are no longer listened to.</summary>
    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
        lock (_tapLock)
        {
            _tap?.Dispose();
            _tap = null;
        }
    }
}
