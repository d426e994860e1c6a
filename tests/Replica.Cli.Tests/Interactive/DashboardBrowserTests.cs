using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Interactive;

/// <summary>
/// The dashboard as a developer uses it, in Debian's headless Chromium against a detached environment: the services
/// table, a restart with its button, a toxic added with the form, the frames of a probe arriving in the live feed, and
/// an untrusted payload shown as text. Browser tier; the screenshot is kept as artifacts/test-results/dashboard.png.
/// </summary>
[Trait("Category", HeadlessChromium.Category)]
public sealed class DashboardBrowserTests(DetachedEnvironment environment) : IClassFixture<DetachedEnvironment>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_page_restarts_a_service_adds_a_toxic_and_shows_a_probes_frames_with_untrusted_text_escaped()
    {
        using var chromium = new HeadlessChromium(1500, 1400);
        await chromium.OpenAsync(environment.DashboardUrl);
        await Eventually.WaitAsync(() => Count(chromium, "#services tbody tr") == 4, Patience, "the services table to list the four services");
        await Eventually.WaitAsync(() => Text(chromium, "#live") == "feed: live", Patience, "the live feed to connect");
        Assert.Equal("interactive", Text(chromium, "#env-name"));

        // Restart with the button: a new process, healthy again, and the page says so.
        var pid = await PidAsync("auth");
        chromium.Driver.FindElement(By.CssSelector("#services tr[data-service='auth'] button[data-verb='restart']")).Click();
        await Eventually.WaitAsync(() => Text(chromium, "#message").StartsWith("restart auth: done", StringComparison.Ordinal), Patience,
            () => $"the restart to be reported (message: {Text(chromium, "#message")})");
        Assert.NotEqual(pid, await PidAsync("auth"));
        await Eventually.WaitAsync(() => Attribute(chromium, "#services tr[data-service='auth']", "data-status") == "healthy", Patience, "auth healthy on the page");

        // A toxic with the form: in the proxy (as the CLI lists it), then on the page.
        chromium.Script("""
            document.getElementById('toxic-dependency').value = 'backend_redis';
            document.getElementById('toxic-type').value = 'latency';
            """);
        chromium.Driver.FindElement(By.Id("toxic-attributes")).SendKeys("latency=40 jitter=5");
        chromium.Driver.FindElement(By.Id("toxic-add")).Click();
        await Eventually.WaitAsync(() => Count(chromium, "#dependencies tr[data-dependency='backend_redis'] [data-toxic-name='latency_downstream']") == 1, Patience,
            () => $"the toxic to show (message: {Text(chromium, "#message")})");
        var toxics = await environment.RunAsync("toxic", "ls", "backend_redis", "--json");
        Assert.Contains("\"latency\"", toxics.StandardOutput);

        // A probe's frames through the edge, in the feed.
        var probe = await environment.RunAsync("probe", "r2");
        Assert.True(probe.ExitCode == 0, probe.ToString());
        await Eventually.WaitAsync(() => Count(chromium, "#feed tr[data-type='agent_completed']") >= 1, Patience, "the probe's agent_completed frame in the feed");
        Assert.True(Count(chromium, "#feed tr[data-type='system_message']") >= 1);
        Assert.True(Count(chromium, "#feed tr[data-type='start_agent'].to-upstream") >= 1);

        // A frame whose payload is markup: shown as text, never run.
        await SendUntrustedFrameAsync("""{"type":"<script>window.__pwned=1</script>","content":"<img src=x onerror=\"window.__pwned=2\">"}""");
        await Eventually.WaitAsync(() => ((string)chromium.Script("return document.querySelector('#feed tbody').textContent")!).Contains("<img src=x onerror="),
            Patience, "the untrusted frame in the feed, as text");
        Assert.Null(chromium.Script("return window.__pwned ?? null"));
        Assert.Equal(0L, chromium.Script("return document.querySelectorAll('#feed img, #feed script').length"));

        await Eventually.WaitAsync(() => Count(chromium, "#timeline rect.window") >= 1 && Count(chromium, "#timeline circle") >= 5, Patience,
            "the live timeline to show the toxic's window and the frames");
        var png = chromium.Screenshot(Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "dashboard.png"));
        Assert.True(new FileInfo(png).Length > 20_000, "the screenshot is a picture of the page");
    }

    private async Task<int> PidAsync(string service) =>
        (await environment.StatusAsync()).GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == service).GetProperty("pid").GetInt32();

    private async Task SendUntrustedFrameAsync(string text)
    {
        var edge = new Uri(environment.EdgeUrl + "/");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(edge, "auth/e2e/test-auth"));
        request.Headers.Add("X-E2E-Bypass-Key", "replica-e2e-bypass-key");
        request.Content = JsonContent.Create(new { email = "e2e-probe@example.com", name = "E2E Probe", permissions = new[] { "read", "write" } });
        using var signIn = await http.SendAsync(request);
        signIn.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        using var timeout = new CancellationTokenSource(Patience);
        await using var client = await WebSocketTestClient.ConnectAsync(edge, "/ws", timeout.Token,
            options => options.SetRequestHeader("Authorization", $"Bearer {token}"));
        await client.SendAsync(text, timeout.Token);
        await client.ReceiveAsync(timeout.Token); // the welcome frame: the message has crossed the edge by then
    }

    private static long Count(HeadlessChromium chromium, string selector) =>
        (long)chromium.Script("return document.querySelectorAll(arguments[0]).length", selector)!;

    private static string Text(HeadlessChromium chromium, string selector) =>
        (string?)chromium.Script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", selector) ?? "";

    private static string? Attribute(HeadlessChromium chromium, string selector, string name) =>
        (string?)chromium.Script("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null", selector, name);
}
