using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;
using Replica.Staging.Backend.Agents;
using Replica.Staging.Backend.Auth;
using Replica.Staging.Backend.Configuration;
using Replica.Staging.Backend.Database;
using Replica.Staging.Backend.Http;
using Replica.Staging.Backend.Protocol;
using Replica.Staging.Backend.Readiness;
using Replica.Staging.Backend.Redis;
using Replica.Staging.Backend.Startup;
using Replica.Staging.Backend.WebSockets;
using Replica.Staging.Common;

// The reference staging backend (PROTOCOL.md). It listens first and starts up after (StartupSequence), so it is
// quick to restart between scenario runs and /health can say "Startup in progress" meanwhile.
BackendSettings settings;
try
{
    settings = BackendSettings.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"backend: {ex.Message}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
var app = builder.Build();

var logs = app.Services.GetRequiredService<ILoggerFactory>();
var clock = TimeProvider.System;
var frames = new ServerFrames(clock);
await using var redis = new RedisConnection(settings, logs.CreateLogger("Redis"));
await using var database = new DatabaseManager(settings, logs.CreateLogger("Database"));
var store = new ThreadStore(database);
var startup = new StartupState(clock);
var tokens = new AccessTokenValidator(settings.JwtSecret);
var bearer = new BearerAuthentication(tokens, logs.CreateLogger("Http"));
var agentLog = logs.CreateLogger("Agents");
var runner = new AgentRunner(settings, new ToolDispatcher(), redis, frames, agentLog);
var agents = new AgentHandlerSlot();
var supervisor = new SupervisorBootstrap(settings, database, agents,
    () => new AgentSupervisor(runner, store, frames), mode => new FallbackAgentHandler(mode, runner, frames, agentLog), agentLog);
var socketLog = logs.CreateLogger("WebSocket");
var sessions = new SessionRegistry();
var router = new ClientMessageRouter(frames, agents, socketLog);
var webSockets = new WebSocketEndpoint(tokens, new WebSocketReadinessValidator(settings, database, redis, tokens, socketLog), sessions,
    (socket, user) => new WebSocketSession(socket, user, settings, frames, router, redis, clock, socketLog), socketLog);

app.UseJsonStatusPages();
app.UseWebSockets();
new HealthEndpoints(settings, startup, database, redis, clock).Map(app);
new DiscoveryEndpoints(settings, startup, clock).Map(app);
new McpEndpoints(settings).Map(app);
new ThreadEndpoints(bearer, store).Map(app);
new AgentEndpoints(runner, store, database, bearer).Map(app);
app.Map("/ws", webSockets.HandleAsync);
app.Map("/api/v1/websocket", webSockets.HandleAsync);

var startupLog = logs.CreateLogger("Startup");
app.Lifetime.ApplicationStarted.Register(() =>
    _ = new StartupSequence(settings, database, redis, supervisor, startup, startupLog).RunAsync(app.Lifetime.ApplicationStopping));
app.Lifetime.ApplicationStopping.Register(() =>
    sessions.CloseAllAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down").Wait(TimeSpan.FromSeconds(2)));

await app.RunAsync();
return 0;
