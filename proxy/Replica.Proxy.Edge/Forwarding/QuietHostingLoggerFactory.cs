using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Replica.Proxy.Edge.Forwarding;

/// <summary>
/// The caller's logger factory, except for ASP.NET Core's per-request hosting diagnostics ("Request starting…"): with
/// that logger enabled, hosting creates an Activity and a log scope for every request, whatever the level filters
/// later drop. Everything else — Kestrel's and YARP's warnings, the fault log — goes through unchanged. Disposing it
/// leaves the caller's factory alone.
/// </summary>
internal sealed class QuietHostingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostingDiagnostics ? NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }
}
