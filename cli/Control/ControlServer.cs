using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Replica.Chaos.Reports;
using Replica.Chaos.Scenarios.Steps;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;
using Replica.Environments.State;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Edge.Forwarding;
using Replica.Proxy.Tcp;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Control;

/// <summary>
/// The running environment's control surface, hosted by whoever owns the environment (a foreground `up` or the
/// detached daemon): the JSON API that `replica restart|stop|start|kill|pause|resume`, `set` and the dashboard use, the
/// dashboard page itself (every asset embedded), and a server-sent-event feed of what happens (service events, the
/// edge's requests and frames, faults added and removed). Its URL is recorded in the state as the "dashboard"
/// endpoint, its control token in a file only the user can read (<see cref="TokenFile"/>). See
/// <see cref="ControlAccess"/> for who may do what.
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
    private readonly RunRecorder _recorder;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly object _tapLock = new();
    private IDisposable? _tap;
    private int _watchers;
    private readonly string _tokenFile;
    private readonly object _runLock = new();
    private readonly Dictionary<string, Dictionary<string, int>> _tally = [];
    private object? _lastRun;
    private string? _lastRunSvg;

    private ControlServer(WebApplication app, ReplicaEnvironment environment, ControlAccess access, string tokenFile)
    {
        _app = app;
        _environment = environment;
        _access = access;
        _tokenFile = tokenFile;
        var clock = new RunClock(TimeProvider.System);
        clock.Start();
        _recorder = new RunRecorder(clock);
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
        server.Watch();
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

    private void Watch()
    {
        _subscriptions.Add(_environment.Subscribe(e => _feed.Publish("env", new { at = e.At, service = e.Service, kind = e.Kind.ToString().ToLowerInvariant(), message = e.Message })));
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
            if (_watchers == 1 && start && _tap is null && _environment.Edge is { } edge)
            {
                _tap = edge.Tap.Subscribe(e => _feed.Publish("edge", e));
            }
            else if (_watchers == 0 && _tap is not null)
            {
                _tap.Dispose();
                _tap = null;
            }
        }
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
                await WriteErrorAsync(context, r.Status, r.Reason, ReplicaErrorKind.BadInput);
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
                await WriteErrorAsync(context, 500, $"internal error: {ex.Message}", ReplicaErrorKind.Failure);
            }
        });
        app.UseRouting();
        app.MapGet("/", PageAsync);
        app.MapGet("/dashboard.js", c => AssetAsync(c, "dashboard.js", "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", c => AssetAsync(c, "dashboard.css", "text/css; charset=utf-8"));
        app.MapGet("/api/state", c => WriteJsonAsync(c, 200, Snapshot()));
        app.MapGet("/api/events", EventsAsync);
        app.MapGet("/api/run/timeline.svg", RunTimelineAsync);
        app.MapPost("/api/services/{name}/{verb}", c => ChangeAsync(c, VerbAsync));
        app.MapPost("/api/settings", c => ChangeAsync(c, SettingsAsync));
        app.MapPost("/api/dependencies/{name}/toxics", c => ChangeAsync(c, AddToxicAsync));
        app.MapPost("/api/dependencies/{name}/toxics/{toxic}/remove", c => ChangeAsync(c, RemoveToxicAsync));
        app.MapPost("/api/dependencies/{name}/enable", c => ChangeAsync(c, EnableAsync));
        app.MapPost("/api/dependencies/{name}/disable", c => ChangeAsync(c, DisableAsync));
        app.MapPost("/api/edge/rules", c => ChangeAsync(c, AddRulesAsync));
        app.MapPost("/api/edge/rules/{id}/remove", c => ChangeAsync(c, RemoveRuleAsync));
    }

    private async Task PageAsync(HttpContext context)
    {
        if (_access.RequiresToken && context.Request.Query.TryGetValue("token", out var token))
        {
            if (!_access.Same(token.ToString(), _access.ControlToken))
            {
                await WriteErrorAsync(context, 401, "wrong token", ReplicaErrorKind.BadInput);
                return;
            }
            context.Response.Cookies.Append(ControlAccess.CookieName, _access.ControlToken, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Redirect("/");
            return;
        }
        context.Response.Headers["Content-Security-Policy"] =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        await AssetAsync(context, "index.html", "text/html; charset=utf-8");
    }

    private static async Task AssetAsync(HttpContext context, string name, string contentType)
    {
        await using var stream = typeof(ControlServer).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded");
        context.Response.ContentType = contentType;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private async Task EventsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        Watching(start: true);
        try
        {
            await context.Response.WriteAsync(": replica dashboard feed\n\n", end.Token);
            await context.Response.Body.FlushAsync(end.Token);
            await foreach (var item in _feed.ReadAllAsync(end.Token))
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

    /// <summary>
    /// A run of `verify` or `chaos run` on this environment has ended: the page shows its timeline (the verify SVG) and
    /// the tally of outcomes per variant so far.
    /// </summary>
    public void PublishRun(string scenario, RunResult run, int runsPerVariant)
    {
        var svg = TimelineSvgWriter.Build(scenario, run);
        object item;
        lock (_runLock)
        {
            if (!_tally.TryGetValue(run.Variant, out var counts))
            {
                _tally[run.Variant] = counts = new Dictionary<string, int> { ["passed"] = 0, ["symptom"] = 0, ["otherFailure"] = 0, ["error"] = 0 };
            }
            var outcome = JsonNamingPolicy.CamelCase.ConvertName(run.Outcome.ToString());
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            _lastRunSvg = svg;
            _lastRun = item = new
            {
                scenario,
                variant = run.Variant,
                index = run.Index,
                runs = runsPerVariant,
                outcome,
                failure = run.FailureMode?.Label ?? run.Error,
                seconds = Math.Round(run.Duration.TotalSeconds, 2),
                tally = _tally.ToDictionary(p => p.Key, p => new Dictionary<string, int>(p.Value)),
            };
        }
        _feed.Publish("run", item);
    }

    private async Task RunTimelineAsync(HttpContext context)
    {
        string? svg;
        lock (_runLock)
        {
            svg = _lastRunSvg;
        }
        if (svg is null)
        {
            await WriteErrorAsync(context, 404, "no run has ended on this environment yet", ReplicaErrorKind.Failure);
            return;
        }
        context.Response.ContentType = "image/svg+xml; charset=utf-8";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
        await context.Response.WriteAsync(svg, context.RequestAborted);
    }

    /// <summary>One change at a time; its errors answered as JSON with their kind (the CLI turns that into an exit code).</summary>
    private async Task ChangeAsync(HttpContext context, Func<HttpContext, JsonElement?, CancellationToken, Task<object>> change)
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
            await WriteErrorAsync(context, 400, $"the body is not JSON: {ex.Message}", ReplicaErrorKind.BadInput);
            return;
        }
        catch (ReplicaException ex)
        {
            await WriteErrorAsync(context, 400, ex.Message, ex.Kind);
            return;
        }
        // A change runs to its end even if the caller goes away (a restart cut in half helps no one); only the
        // environment stopping cuts it.
        await _changes.WaitAsync(_stopping.Token);
        try
        {
            var result = await change(context, body, _stopping.Token);
            _feed.Publish("action", result);
            await WriteJsonAsync(context, 200, result);
        }
        catch (ReplicaException ex)
        {
            await WriteErrorAsync(context, ex.Kind == ReplicaErrorKind.BadInput ? 400 : ex.Kind == ReplicaErrorKind.MissingPrerequisite ? 501 : 500, ex.Message, ex.Kind, ex.Hint);
        }
        catch (ToxiproxyException ex)
        {
            await WriteErrorAsync(context, ex.StatusCode, ex.Message, ex.StatusCode >= 500 ? ReplicaErrorKind.MissingPrerequisite : ReplicaErrorKind.BadInput, ex.Hint);
        }
        catch (ArgumentException ex)
        {
            await WriteErrorAsync(context, 400, ex.Message, ReplicaErrorKind.BadInput);
        }
        catch (NotSupportedException ex)
        {
            await WriteErrorAsync(context, 501, $"the {_environment.Environment.Runtime.Name} runtime cannot do that: {ex.Message}", ReplicaErrorKind.MissingPrerequisite);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<object> VerbAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var name = (string)context.GetRouteValue("name")!;
        var verb = (string)context.GetRouteValue("verb")!;
        var service = _environment[name]; // an unknown name is bad input, with a suggestion
        var step = ServiceVerb.Step(verb, name, ServiceVerb.ParseWait(context.Request.Query["wait"]));
        if (ServiceVerb.Refusal(step, service) is { } refusal)
        {
            throw new ReplicaException(refusal, ReplicaErrorKind.BadInput);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await step.ApplyAsync(Context(), cancellationToken);
        return ServiceResult(verb, service, clock.Elapsed);
    }

    private static object ServiceResult(string verb, Replica.Environments.Hosting.RunningService service, TimeSpan took) => new
    {
        verb,
        service = service.Name,
        status = service.Status.ToString().ToLowerInvariant(),
        endpoint = service.Endpoint?.ToString(),
        pid = service.Instance?.ProcessId,
        container = service.Instance?.ContainerId,
        seconds = Math.Round(took.TotalSeconds, 2),
    };

    private StepRunContext Context() => new(_environment, _recorder, _ => ValueTask.CompletedTask, _ => Task.CompletedTask);

    /// <summary>
    /// Body: { "settings": { SERVICE: { KEY: VALUE } }, "restart": true }. Every service and key is checked before any is
    /// applied; the changed services are restarted (health-gated) unless "restart" is false. A service that does not
    /// come up with its new settings gets its previous ones back (and is restarted with them): nothing stays half-applied.
    /// </summary>
    private async Task<object> SettingsAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var request = SettingsRequest.Read(body, _environment.Environment);
        var plan = new List<(string Service, IReadOnlyDictionary<string, string> Before, IReadOnlyDictionary<string, string> After)>();
        foreach (var (service, values) in request.Settings)
        {
            var before = _environment.Environment.SettingsOf(service);
            var after = new Dictionary<string, string>(before);
            foreach (var (key, value) in values)
            {
                after[key] = value;
            }
            if (!after.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(before.OrderBy(p => p.Key, StringComparer.Ordinal)))
            {
                plan.Add((service, before, after));
            }
        }
        var restart = request.Restart
            ? plan.Where(p => ServiceVerb.StateOf(_environment[p.Service]) != ServiceState.Stopped).Select(p => p.Service).ToList()
            : [];
        foreach (var service in restart)
        {
            if (ServiceVerb.Refusal(ServiceVerb.Step("restart", service, ServiceWait.Healthy), _environment[service]) is { } refusal)
            {
                throw new ReplicaException($"{refusal}; no setting was changed", ReplicaErrorKind.BadInput);
            }
        }
        foreach (var (service, _, after) in plan)
        {
            _environment.Environment.SetSettings(service, after);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var restarted = new List<string>();
        foreach (var service in _environment.Environment.Services.Select(s => s.Name).Where(restart.Contains))
        {
            try
            {
                await ServiceVerb.Step("restart", service, ServiceWait.Healthy).ApplyAsync(Context(), cancellationToken);
                restarted.Add(service);
            }
            catch (ReplicaException ex)
            {
                await RollBackAsync(plan, restarted.Append(service), cancellationToken);
                var exited = _environment[service].Instance?.Exited.IsCompleted == true || ex.Message.Contains(" exited with code ", StringComparison.Ordinal);
                throw new ReplicaException(
                    $"{service} did not come up with its new settings, so the previous ones are back{(exited ? " (it refused them: it exited)" : "")}: {ex.Message}",
                    exited ? ReplicaErrorKind.BadInput : ReplicaErrorKind.Failure);
            }
        }
        return new
        {
            verb = "set",
            changed = plan.Select(p => new
            {
                service = p.Service,
                settings = p.After,
                restarted = restarted.Contains(p.Service),
                status = _environment[p.Service].Status.ToString().ToLowerInvariant(),
            }).ToList(),
            unchanged = request.Settings.Keys.Except(plan.Select(p => p.Service)).ToList(),
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
        };
    }

    private async Task RollBackAsync(
        IEnumerable<(string Service, IReadOnlyDictionary<string, string> Before, IReadOnlyDictionary<string, string> After)> plan,
        IEnumerable<string> restarted, CancellationToken cancellationToken)
    {
        foreach (var (service, before, _) in plan)
        {
            _environment.Environment.SetSettings(service, before);
        }
        foreach (var service in restarted)
        {
            try
            {
                await _environment[service].RestartAsync(cancellationToken);
            }
            catch (ReplicaException)
            {
                // Reported with the original error; status shows the service as it is.
            }
        }
    }

    private Task<object> AddToxicAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var name = (string)context.GetRouteValue("name")!;
        var proxy = _environment.DependencyProxy(name);
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            throw new ReplicaException("a toxic: a JSON object like {\"type\":\"latency\",\"attributes\":{\"latency\":100}}", ReplicaErrorKind.BadInput);
        }
        var toxic = proxy.AddToxic(ToxicSpec.FromJson(json));
        return Task.FromResult<object>(new { verb = "toxic add", dependency = name, toxic = ToxicView(toxic) });
    }

    private Task<object> RemoveToxicAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var name = (string)context.GetRouteValue("name")!;
        var toxic = (string)context.GetRouteValue("toxic")!;
        _environment.DependencyProxy(name).RemoveToxic(toxic);
        return Task.FromResult<object>(new { verb = "toxic rm", dependency = name, toxic });
    }

    private Task<object> EnableAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken) => ToggleAsync(context, enable: true);

    private Task<object> DisableAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken) => ToggleAsync(context, enable: false);

    private Task<object> ToggleAsync(HttpContext context, bool enable)
    {
        var name = (string)context.GetRouteValue("name")!;
        var state = _environment.DependencyProxy(name).Update(new ProxyUpdate { Enabled = enable });
        return Task.FromResult<object>(new { verb = enable ? "enable" : "disable", dependency = name, enabled = state.Enabled });
    }

    private Task<object> AddRulesAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var edge = _environment.Edge ?? throw new ReplicaException("this environment has no edge proxy", ReplicaErrorKind.BadInput);
        if (body is not { } json)
        {
            throw new ReplicaException("a rule: the JSON of proxy/Replica.Proxy.Edge/RULES.md", ReplicaErrorKind.BadInput);
        }
        var parsed = FaultRuleParser.Parse(json);
        if (!parsed.Succeeded)
        {
            throw new ReplicaException($"invalid rule, nothing applied: {string.Join("; ", parsed.Errors)}", ReplicaErrorKind.BadInput);
        }
        var added = edge.Rules.AddRange(parsed.Rules);
        return Task.FromResult<object>(new { verb = "rule add", rules = added.Select(r => r.Id).ToList() });
    }

    private Task<object> RemoveRuleAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var edge = _environment.Edge ?? throw new ReplicaException("this environment has no edge proxy", ReplicaErrorKind.BadInput);
        var id = (string)context.GetRouteValue("id")!;
        if (!edge.Rules.Remove(id))
        {
            throw new ReplicaException($"no edge rule '{id}'", ReplicaErrorKind.BadInput);
        }
        return Task.FromResult<object>(new { verb = "rule rm", rule = id });
    }

    private static object ToxicView(Toxic toxic) => new
    {
        name = toxic.Name,
        type = toxic.Type,
        stream = toxic.Stream,
        toxicity = toxic.Toxicity,
        attributes = toxic.Attributes.ToDictionary(a => a.Key, a => a.Value),
    };

    /// <summary>Everything the page shows, as it is now (health as last checked by the environment, not checked anew).</summary>
    private object Snapshot()
    {
        var environment = _environment.Environment;
        var dependencies = _environment.Toxiproxy.Proxies.List();
        return new
        {
            name = _environment.Name,
            runtime = environment.Runtime.Name,
            seed = _environment.Seed,
            edge = _environment.EdgeUrl?.ToString(),
            network = _environment.Network.Name,
            services = environment.Services.Select(s => new
            {
                name = s.Name,
                kind = s.Definition.Replica.Kind.ToString().ToLowerInvariant(),
                status = s.Status.ToString().ToLowerInvariant(),
                health = s.LastHealthCheck?.Detail,
                endpoint = s.Endpoint?.ToString(),
                pid = s.Instance?.ProcessId,
                container = s.Instance?.ContainerId is { } id ? id[..Math.Min(12, id.Length)] : null,
                settings = environment.SettingsOf(s.Name),
                log = s.TailLog(6),
            }).ToList(),
            dependencies = environment.Dependencies.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
            {
                var proxy = dependencies.FirstOrDefault(p => p.Name == d.Name);
                return new
                {
                    name = d.Name,
                    dependent = d.Dependent,
                    dependency = d.Dependency,
                    listen = proxy?.Listen,
                    upstream = d.Upstream,
                    enabled = proxy?.Enabled ?? true,
                    proxied = proxy is not null,
                    toxics = proxy?.Toxics.Select(ToxicView).ToList() ?? [],
                };
            }).ToList(),
            rules = _environment.Edge?.Rules.List().Select(r => new
            {
                id = r.Rule.Id,
                rule = FaultRuleWriter.Write(r.Rule).ToJsonString(),
                injected = r.Injected,
                addedAt = r.AddedAt,
            }).ToList(),
            toxicTypes = ToxicKinds.Names,
            run = CurrentRun(),
        };
    }

    private object? CurrentRun()
    {
        lock (_runLock)
        {
            return _lastRun;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, ControlJson.Options, context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message, ReplicaErrorKind kind, string? hint = null) =>
        WriteJsonAsync(context, status, new { error = message, hint, kind = kind.ToString() });

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
        lock (_tapLock)
        {
            _tap?.Dispose();
            _tap = null;
        }
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
