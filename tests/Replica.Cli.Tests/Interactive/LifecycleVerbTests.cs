using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Replica.Tests.Support;

namespace Replica.Cli.Tests.Interactive;

/// <summary>
/// The lifecycle verbs and `set` on a detached environment: what they do to the service (a new pid, paused, stopped),
/// their --json, and bad input refused with exit 2 and the reason, nothing changed.
/// </summary>
public sealed class LifecycleVerbTests(DetachedEnvironment environment) : IClassFixture<DetachedEnvironment>
{
    private async Task<JsonElement> ServiceAsync(string name) =>
        (await environment.StatusAsync()).GetProperty("services").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Restart_gives_a_new_healthy_process_and_pause_resume_stop_start_kill_do_what_they_say()
    {
        var before = (await ServiceAsync("auth")).GetProperty("pid").GetInt32();
        var restart = await environment.RunAsync("restart", "auth", "--json");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        var result = JsonDocument.Parse(restart.StandardOutput).RootElement[0];
        Assert.Equal("healthy", result.GetProperty("status").GetString());
        Assert.NotEqual(before, result.GetProperty("pid").GetInt32());
        Assert.Equal("healthy", (await ServiceAsync("auth")).GetProperty("health").GetString());

        Assert.Equal(0, (await environment.RunAsync("pause", "auth")).ExitCode);
        Assert.Equal("paused", (await ServiceAsync("auth")).GetProperty("state").GetString());
        var restartPaused = await environment.RunAsync("restart", "auth");
        Assert.Equal(2, restartPaused.ExitCode);
        Assert.Contains("while it is paused (resume it first)", restartPaused.StandardError);
        Assert.Equal(0, (await environment.RunAsync("resume", "auth")).ExitCode);
        Assert.Equal("healthy", (await ServiceAsync("auth")).GetProperty("health").GetString());

        Assert.Equal(0, (await environment.RunAsync("stop", "auth")).ExitCode);
        Assert.Equal("stopped", (await ServiceAsync("auth")).GetProperty("state").GetString());
        var stopAgain = await environment.RunAsync("stop", "auth");
        Assert.Equal(2, stopAgain.ExitCode);
        Assert.Contains("which is stopped", stopAgain.StandardError);
        var start = await environment.RunAsync("start", "auth");
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal("healthy", (await ServiceAsync("auth")).GetProperty("health").GetString());

        var pid = (await ServiceAsync("auth")).GetProperty("pid").GetInt32();
        Assert.Equal(0, (await environment.RunAsync("kill", "auth")).ExitCode);
        Assert.False(ProcessTable.Alive(pid), "kill leaves the process dead");
        Assert.Equal("stopped", (await ServiceAsync("auth")).GetProperty("state").GetString());
        Assert.Equal(0, (await environment.RunAsync("start", "auth")).ExitCode);
    }

    [Fact]
    public async Task Bad_service_names_and_settings_exit_2_with_the_reason_and_change_nothing()
    {
        var unknown = await environment.RunAsync("restart", "bakend");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no service 'bakend'", unknown.StandardError);
        Assert.Contains("backend", unknown.StandardError); // the suggestion

        var pid = (await ServiceAsync("backend")).GetProperty("pid").GetInt32();
        var badKey = await environment.RunAsync("set", "backend", "1X=2");
        Assert.Equal(2, badKey.ExitCode);
        Assert.Contains("environment variable name", badKey.StandardError);
        var noPair = await environment.RunAsync("set", "backend", "R2_WEBSOCKET_READINESS");
        Assert.Equal(2, noPair.ExitCode);
        var badVariant = await environment.RunAsync("set", "--variant", "r2:nope");
        Assert.Equal(2, badVariant.ExitCode);
        Assert.Contains("has no variant 'nope'", badVariant.StandardError);
        Assert.Equal(pid, (await ServiceAsync("backend")).GetProperty("pid").GetInt32());

        // A value the backend refuses (it exits 2 naming the setting): the previous settings come back and it runs again.
        var refused = await environment.RunAsync("set", "backend", "R2_WEBSOCKET_READINESS=bogus");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("previous ones are back", refused.StandardError);
        Assert.Contains("R2_WEBSOCKET_READINESS='bogus' must be seed or fixed", refused.StandardError);
        var status = await environment.StatusAsync();
        Assert.False(status.GetProperty("settings").TryGetProperty("backend", out var backend) && backend.TryGetProperty("R2_WEBSOCKET_READINESS", out _));
        Assert.Equal("healthy", (await ServiceAsync("backend")).GetProperty("health").GetString());

        var noRestart = await environment.RunAsync("set", "backend", "AGENT_EVENT_DELAY=0ms", "--no-restart");
        Assert.True(noRestart.ExitCode == 0, noRestart.ToString());
        Assert.Contains("applies at its next start", noRestart.StandardOutput);
        var table = await environment.RunAsync("status");
        Assert.Contains("AGENT_EVENT_DELAY=0ms", table.StandardOutput);
    }

    [Fact]
    public async Task Up_refuses_a_set_for_an_unknown_service_and_a_public_dashboard_without_a_token_before_starting_anything()
    {
        var setUnknown = await environment.Cli.RunAsync(["up", "--detach", "--name", "never", "--set", "nope.KEY=1"]);
        Assert.Equal(2, setUnknown.ExitCode);
        Assert.Contains("no service 'nope'", setUnknown.StandardError);
        var badSet = await environment.Cli.RunAsync(["up", "--detach", "--name", "never", "--set", "backend=1"]);
        Assert.Equal(2, badSet.ExitCode);
        Assert.Contains("SERVICE.KEY=VALUE", badSet.StandardError);
        var open = await environment.Cli.RunAsync(["up", "--detach", "--name", "never", "--dashboard", "0.0.0.0:0"]);
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("needs a token", open.StandardError);
        Assert.Null(environment.Store.Read("never"));
    }

    [Fact]
    public async Task The_control_api_refuses_foreign_hosts_cross_site_changes_and_changes_without_a_token()
    {
        var url = new Uri(environment.DashboardUrl);
        using var http = new HttpClient();

        using (var rebinding = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "api/state")))
        {
            rebinding.Headers.Host = "attacker.example";
            Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(rebinding)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url, "api/state"))).StatusCode);

        var pid = (await ServiceAsync("auth")).GetProperty("pid").GetInt32();
        var restart = new Uri(url, "api/services/auth/restart");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync(restart, null)).StatusCode); // no token, no Origin
        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, restart))
        {
            crossSite.Headers.Add("Origin", "http://attacker.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite)).StatusCode);
        }
        using (var wrongToken = new HttpRequestMessage(HttpMethod.Post, restart))
        {
            wrongToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrongToken)).StatusCode);
        }
        Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync(restart)).StatusCode); // GET changes nothing
        using (var form = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "api/settings")))
        {
            form.Headers.Add("Origin", $"{url.Scheme}://{url.Authority}");
            form.Content = new StringContent("settings=1", Encoding.UTF8, "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(form)).StatusCode);
        }
        Assert.Equal(pid, (await ServiceAsync("auth")).GetProperty("pid").GetInt32());

        using (var sameOrigin = new HttpRequestMessage(HttpMethod.Post, restart))
        {
            sameOrigin.Headers.Add("Origin", $"{url.Scheme}://{url.Authority}");
            var response = await http.SendAsync(sameOrigin);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        Assert.NotEqual(pid, (await ServiceAsync("auth")).GetProperty("pid").GetInt32());
        var mode = File.GetUnixFileMode(Path.Combine(environment.Store.DirectoryOf(DetachedEnvironment.Name), "control.token"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
