using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Replica.Chaos.Scenarios.Steps;
using Replica.Chaos.Verification;
using Replica.Environments.Errors;
using Replica.Environments.Proxied;
using Replica.Proxy.Edge.Faults.Parsing;
using Replica.Proxy.Tcp.Proxies;
using Replica.Proxy.Tcp.Toxics;

namespace Replica.Cli.Control;

/// <summary>
/// The changes the control API applies to the environment: a service verb, new settings, a toxic added or removed, a
/// dependency's proxy enabled or disabled, edge rules added or removed. Each reads its route and JSON body, throws a
/// <see cref="ReplicaException"/> for what it refuses, and returns what it did as the JSON answer;
/// <see cref="ControlServer"/> runs them one at a time.
/// </summary>
internal sealed class EnvironmentChanges
{
    private readonly ReplicaEnvironment _environment;
    private readonly RunRecorder _recorder;

    public EnvironmentChanges(ReplicaEnvironment environment)
    {
        _environment = environment;
        var clock = new RunClock(TimeProvider.System);
        clock.Start();
        _recorder = new RunRecorder(clock);
    }

    public async Task<ServiceVerbResult> VerbAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
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

    private static ServiceVerbResult ServiceResult(string verb, Replica.Environments.Hosting.RunningService service, TimeSpan took) => new(
        verb,
        service.Name,
        service.Status.ToString().ToLowerInvariant(),
        service.Endpoint?.ToString(),
        service.Instance?.ProcessId,
        service.Instance?.ContainerId,
        Math.Round(took.TotalSeconds, 2));

    private StepRunContext Context() => new(_environment, _recorder, _ => ValueTask.CompletedTask, _ => Task.CompletedTask);

    /// <summary>
    /// Body: { "settings": { SERVICE: { KEY: VALUE } }, "restart": true }. Every service and key is checked before any is
    /// applied; the changed services are restarted (health-gated) unless "restart" is false. A service that does not
    /// come up with its new settings gets its previous ones back (and is restarted with them): nothing stays half-applied.
    /// </summary>
    public async Task<SettingsResult> SettingsAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
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
        return new SettingsResult(
            "set",
            plan.Select(p => new ServiceSettingsChange(
                p.Service,
                p.After,
                restarted.Contains(p.Service),
                _environment[p.Service].Status.ToString().ToLowerInvariant())).ToList(),
            request.Settings.Keys.Except(plan.Select(p => p.Service)).ToList(),
            Math.Round(clock.Elapsed.TotalSeconds, 2));
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

    public Task<ToxicAddedResult> AddToxicAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var name = (string)context.GetRouteValue("name")!;
        var proxy = _environment.DependencyProxy(name);
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            throw new ReplicaException("a toxic: a JSON object like {\"type\":\"latency\",\"attributes\":{\"latency\":100}}", ReplicaErrorKind.BadInput);
        }
        var toxic = proxy.AddToxic(ToxicSpec.FromJson(json));
        return Task.FromResult(new ToxicAddedResult("toxic add", name, ToxicView.Of(toxic)));
    }

    public Task<ToxicRemovedResult> RemoveToxicAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var name = (string)context.GetRouteValue("name")!;
        var toxic = (string)context.GetRouteValue("toxic")!;
        _environment.DependencyProxy(name).RemoveToxic(toxic);
        return Task.FromResult(new ToxicRemovedResult("toxic rm", name, toxic));
    }

    public Task<ProxyToggledResult> EnableAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken) => ToggleAsync(context, enable: true);

    public Task<ProxyToggledResult> DisableAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken) => ToggleAsync(context, enable: false);

    private Task<ProxyToggledResult> ToggleAsync(HttpContext context, bool enable)
    {
        var name = (string)context.GetRouteValue("name")!;
        var state = _environment.DependencyProxy(name).Update(new ProxyUpdate { Enabled = enable });
        return Task.FromResult(new ProxyToggledResult(enable ? "enable" : "disable", name, state.Enabled));
    }

    public Task<RulesAddedResult> AddRulesAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
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
        return Task.FromResult(new RulesAddedResult("rule add", added.Select(r => r.Id).ToList()));
    }

    public Task<RuleRemovedResult> RemoveRuleAsync(HttpContext context, JsonElement? body, CancellationToken cancellationToken)
    {
        var edge = _environment.Edge ?? throw new ReplicaException("this environment has no edge proxy", ReplicaErrorKind.BadInput);
        var id = (string)context.GetRouteValue("id")!;
        if (!edge.Rules.Remove(id))
        {
            throw new ReplicaException($"no edge rule '{id}'", ReplicaErrorKind.BadInput);
        }
        return Task.FromResult(new RuleRemovedResult("rule rm", id));
    }
}
