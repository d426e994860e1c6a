using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Replica.Proxy.Edge.Tests;

/// <summary>
/// A real Kestrel upstream that answers every request with what it received, as JSON: <c>upstream</c> (its name),
/// <c>protocol</c>, <c>method</c>, <c>path</c>, <c>query</c>, <c>body</c> and <c>headers</c> (name → values joined
/// with ", ", names as sent).
/// </summary>
internal sealed class RequestEchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RequestEchoUpstream(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<RequestEchoUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(async context =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                upstream = name,
                protocol = request.Protocol,
                method = request.Method,
                path = request.Path.Value,
                query = request.QueryString.Value,
                body,
                headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()),
            }), context.RequestAborted);
        });
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new RequestEchoUpstream(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
