using System.Text.Json.Nodes;
using Replica.Staging.Auth.Configuration;
using Replica.Staging.Auth.E2E;
using Replica.Staging.Common;

var settings = AuthSettings.FromEnvironment(Environment.GetEnvironmentVariable);
if (JwtSecretSetting.Problem(settings.Environment, Environment.GetEnvironmentVariable) is { } secretProblem)
{
    // A secret the token library cannot sign with would turn every token request into a server error: refuse to start.
    Console.Error.WriteLine($"auth: invalid settings: {secretProblem}");
    return 2;
}
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.UseJsonStatusPages();
app.MapGet("/auth/health", () => JsonResults.Json(new JsonObject { ["status"] = "healthy" }));
app.MapPost("/auth/e2e/test-auth", (HttpRequest request, AuthSettings s, TimeProvider clock) => TestAuthEndpoint.HandleAsync(request, s, clock));
app.Logger.LogInformation("auth: environment {Environment}, JWT secret {Secret}, E2E bypass key {Key}", settings.Environment,
    settings.JwtSecret is null ? "missing" : "set", settings.E2EBypassKey is null ? "missing" : "set");
app.Run();
return 0;
