using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;
using Replica.Environments.State;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Tcp;

namespace Replica.Cli.Control;

/// <summary>
/// The running environment's control surface, hosted by whoever owns the environment (a foreground `up` or the
/// detached daemon): the JSON API that `replica restart|stop|start|kill|pause|resume`, `set` and the dashboard use, the
/// dashboard page itself (every asset embedded), and a server-sent-event feed of what happens (service events, the
/// edge's requests and frames, faults added and removed). Its URL is recorded in the state as the "dashboard"
/// endpoint, its control token in a file only the user can read (<see cref="TokenFile"/>). See
/// <see cref="ControlAccess"/> for who may do what.
/// This type hosts and routes; the page and its feed are <see cref="DashboardPage"/>, the changes
/// <see cref="EnvironmentChanges"/>, the state <see cref="StateSnapshot"/>, the last run <see cref="LastRun"/>.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    public const string Endpoint = "dashboard";
    private const string TokenFileName = "control.token";

    private readonly WebApplication _app;
    private readonly ReplicaEnvironment _environment;
    private readonly ControlAccess _access;
    private readonly LiveFeed _feed = new();
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _tokenFile;
    private readonly DashboardPage _page;
    private readonly EnvironmentChanges _environmentChanges;
    private readonly LastRun _lastRun;

    private ControlServer(WebApplication app, ReplicaEnvironment environment, ControlAccess access, string tokenFile)
    {
        _app = app;
        _environment = environment;
        _access = access;
        _tokenFile = tokenFile;
        _page = new DashboardPage(environment, access, _feed, _stopping.Token);
        _environmentChanges = new EnvironmentChanges(environment);
        _lastRun = new LastRun(_feed);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Where the control token of environment <paramref name="name"/> is kept (mode 0600).</summary>
    public static string TokenFile(StateStore store, string name) => Path.Combine(store.DirectoryOf(name), TokenFileName);

    /// <summary>
    /// Checks the listen address and token before anything starts: a non-loopback address needs a token.
    /// </summary>
    public static ListenEndpoint CheckListen(string listen, string? token)
    {
        ListenEndpoint endpoint;
        try
        {
            endpoint = ListenEndpoint.Parse(listen, "--dashboard");
        }
        catch (ArgumentException ex)
        {
            throw new ReplicaException(ex.Message, ReplicaErrorKind.BadInput);
        }
        if (!endpoint.IsLoopback && string.IsNullOrEmpty(token))
        {
            throw new ReplicaException($"--dashboard {listen}: a dashboard on a non-loopback address needs a token (--dashboard-token or $REPLICA_DASHBOARD_TOKEN); nothing was started",
                ReplicaErrorKind.BadInput);
        }
        return endpoint;
    }

    /// <summary>Starts serving <paramref name="environment"/> and records the URL in its state.</summary>
    public static async Task<ControlServer> StartAsync(ReplicaEnvironment environment, ListenEndpoint listen, string? userToken, CancellationToken cancellationToken)
    {
        var access = new ControlAccess(string.IsNullOrEmpty(userToken) ? ControlAccess.NewToken() : userToken, !string.IsNullOrEmpty(userToken));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(listen.Address, listen.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var store = environment.Environment.Definition.Store;
        var server = new ControlServer(app, environment, access, TokenFile(store, environment.Name));
        server.Map(app);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new ReplicaException($"the dashboard cannot listen on {listen}: {ex.Message}", ReplicaErrorKind.MissingPrerequisite,
                "choose another address with --dashboard HOST:PORT (port 0 picks a free one)");
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        server.WriteToken();
        server._page.WatchEnvironment();
        environment.Environment.RecordEndpoints(new Dictionary<string, string> { [Endpoint] = server.Url.ToString().TrimEnd('/') });
        return server;
    }

    private void WriteToken()
    {
        using (var file = new FileStream(_tokenFile, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(_access.ControlToken);
        }
        File.SetUnixFileMode(_tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers["Cache-Control"] = "no-store";
            var refused = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? context.Request.Path == "/" && _access.RequiresToken && context.Request.Query.ContainsKey("token") ? null : _access.CheckRead(context)
                : _access.CheckChange(context);
            if (refused is { } r)
            {
                await ControlResponse.WriteErrorAsync(context, r.Status, r.Reason, ReplicaErrorKind.BadInput);
                return;
            }
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
            {
                // A bug: said in one line to the caller, in full in the owner's log (daemon.log for a detached one).
                Console.Error.WriteLine($"{DateTimeOffset.Now:O} dashboard: {context.Request.Method} {context.Request.Path}: {ex}");
                await ControlResponse.WriteErrorAsync(context, 500, $"internal error: {ex.Message}", ReplicaErrorKind.Failure);
            }
        });
        app.UseRouting();
        app.MapGet("/", _page.PageAsync);
        app.MapGet("/dashboard.js", c => DashboardPage.AssetAsync(c, "dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", c => DashboardPage.AssetAsync(c, "dashboard.css", "text/css; charset=utf-8"));
        app.MapGet("/api/state", c => ControlResponse.WriteJsonAsync(c, 200, StateSnapshot.Take(_environment, _lastRun), ControlJsonContext.Default.StateSnapshot));
        app.MapGet("/api/events", _page.EventsAsync);
        app.MapGet("/api/run/timeline.svg", _lastRun.TimelineAsync);
        var json = ControlJsonContext.Default;
        app.MapPost("/api/services/{name}/{verb}", c => ChangeAsync(c, _environmentChanges.VerbAsync, json.ServiceVerbResult));
        app.MapPost("/api/settings", c => ChangeAsync(c, _environmentChanges.SettingsAsync, json.SettingsResult));
        app.MapPost("/api/dependencies/{name}/toxics", c => ChangeAsync(c, _environmentChanges.AddToxicAsync, json.ToxicAddedResult));
        app.MapPost("/api/dependencies/{name}/toxics/{toxic}/remove", c => ChangeAsync(c, _environmentChanges.RemoveToxicAsync, json.ToxicRemovedResult));
        app.MapPost("/api/dependencies/{name}/enable", c => ChangeAsync(c, _environmentChanges.EnableAsync, json.ProxyToggledResult));
        app.MapPost("/api/dependencies/{name}/disable", c => ChangeAsync(c, _environmentChanges.DisableAsync, json.ProxyToggledResult));
        app.MapPost("/api/edge/rules", c => ChangeAsync(c, _environmentChanges.AddRulesAsync, json.RulesAddedResult));
        app.MapPost("/api/edge/rules/{id}/remove", c => ChangeAsync(c, _environmentChanges.RemoveRuleAsync, json.RuleRemovedResult));
    }

    /// <summary>
    /// A run of `verify` or `chaos run` on this environment has ended: the page shows its timeline (the verify SVG) and
    /// the tally of outcomes per variant so far.
    /// </summary>
    public void PublishRun(string scenario, RunResult run, int runsPerVariant) => _lastRun.Publish(scenario, run, runsPerVariant);

    /// <summary>
    /// One change at a time; what it did answered (and fed to the page) as <paramref name="resultType"/> writes it, its
    /// errors as JSON with their kind (the CLI turns that into an exit code).
    /// </summary>
    private async Task ChangeAsync<TResult>(HttpContext context, Func<HttpContext, JsonElement?, CancellationToken, Task<TResult>> change, JsonTypeInfo<TResult> resultType)
    {
        JsonElement? body = null;
        try
        {
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
                {
                    throw new ReplicaException("the body must be JSON (Content-Type: application/json)", ReplicaErrorKind.BadInput);
                }
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                body = document.RootElement.Clone();
            }
        }
        catch (JsonException ex)
        {
            await ControlResponse.WriteErrorAsync(context, 400, $"the body is not JSON: {ex.Message}", ReplicaErrorKind.BadInput);
            return;
        }
        catch (ReplicaException ex)
        {
            await ControlResponse.WriteErrorAsync(context, 400, ex.Message, ex.Kind);
            return;
        }
        // A change runs to its end even if the caller goes away (a restart cut in half helps no one); only the
        // environment stopping cuts it.
        await _changes.WaitAsync(_stopping.Token);
        try
        {
            var result = await change(context, body, _stopping.Token);
            _feed.Publish("action", result, resultType);
            await ControlResponse.WriteJsonAsync(context, 200, result, resultType);
        }
        catch (ReplicaException ex)
        {
            await ControlResponse.WriteErrorAsync(context, ex.Kind == ReplicaErrorKind.BadInput ? 400 : ex.Kind == ReplicaErrorKind.MissingPrerequisite ? 501 : 500, ex.Message, ex.Kind, ex.Hint);
        }
        catch (ToxiproxyException ex)
        {
            await ControlResponse.WriteErrorAsync(context, ex.StatusCode, ex.Message, ex.StatusCode >= 500 ? ReplicaErrorKind.MissingPrerequisite : ReplicaErrorKind.BadInput, ex.Hint);
        }
        catch (ArgumentException ex)
        {
            await ControlResponse.WriteErrorAsync(context, 400, ex.Message, ReplicaErrorKind.BadInput);
        }
        catch (NotSupportedException ex)
        {
            await ControlResponse.WriteErrorAsync(context, 501, $"the {_environment.Environment.Runtime.Name} runtime cannot do that: {ex.Message}", ReplicaErrorKind.MissingPrerequisite);
        }
        finally
        {
            _changes.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        _page.Dispose();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        try
        {
            File.Delete(_tokenFile);
        }
        catch (IOException)
        {
            // The state directory is removed with the environment anyway.
        }
    }
}
