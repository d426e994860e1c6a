using Replica.Environments.Compose;
using Replica.Environments.Errors;
using Replica.Tests.Support;

namespace Replica.Environments.Tests;

public sealed class ComposeLoaderTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Topology Load(string yaml) => ComposeLoader.Load(_dir.Write("compose.yaml", yaml));

    private ConfigurationException Reject(string yaml) =>
        Assert.Throws<ConfigurationException>(() => ComposeLoader.Load(_dir.Write("compose.yaml", yaml)));

    [Fact]
    public void The_reference_topology_loads_in_dependency_order_with_its_edges_and_checks()
    {
        var topology = ComposeLoader.Load(RepositoryPaths.ComposeFile);

        Assert.Equal("replica", topology.Name);
        var order = topology.Services.Select(s => s.Name).ToList();
        Assert.Equal(4, order.Count);
        Assert.True(order.IndexOf("backend") > order.IndexOf("redis"));
        Assert.True(order.IndexOf("backend") > order.IndexOf("postgres"));
        Assert.True(order.IndexOf("backend") > order.IndexOf("auth"));

        Assert.Equal(ServiceKind.Redis, topology["redis"].Replica.Kind);
        Assert.Equal(ServiceKind.Postgres, topology["postgres"].Replica.Kind);
        Assert.Equal(HealthCheckKind.Http, topology["backend"].Replica.Health.Kind);
        Assert.Equal("/health", topology["backend"].Replica.Health.Path);
        Assert.Equal("/auth/health", topology["auth"].Replica.Health.Path);
        Assert.Equal(DependencyCondition.ServiceHealthy, topology["backend"].DependsOn.Single(d => d.Service == "redis").Condition);

        var dependencies = topology.Dependencies.ToDictionary(d => d.Name);
        Assert.Equal(["backend_auth", "backend_postgres", "backend_redis"], dependencies.Keys.Order());
        Assert.Equal(6379, dependencies["backend_redis"].ContainerPort);
        Assert.Contains("REDIS_URL", dependencies["backend_redis"].Variables);
        Assert.Contains("DATABASE_URL", dependencies["backend_postgres"].Variables);

        // The YAML merge key (<<: *secrets) is honoured.
        Assert.Equal("staging", topology["backend"].Environment["ENVIRONMENT"]);
        Assert.Equal(["auth", "backend"], topology.EdgeRoutes.Select(r => r.Service));
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_at_its_line_and_column()
    {
        var error = Reject("services:\n  redis:\n    image: redis\n   ports: [\"6379\"\n");
        var problem = Assert.Single(error.Problems);
        Assert.Equal(4, problem.Location.Line);
        Assert.Contains("YAML syntax error", problem.Message);
        Assert.Matches(@"compose\.yaml:4:\d+: YAML syntax error", error.Message);
    }

    [Fact]
    public void An_unknown_service_in_depends_on_names_the_line_and_suggests_the_right_name()
    {
        var error = Reject("""
            services:
              redis:
                image: redis:7
              api:
                image: api
                depends_on:
                  - redsi
            """);
        var problem = Assert.Single(error.Problems);
        Assert.Equal(new SourceLocation("compose.yaml", 7, 9), problem.Location with { File = "compose.yaml" });
        Assert.Contains("unknown service 'redsi'", problem.Message);
        Assert.Contains("did you mean 'redis'", problem.Message);
    }

    [Fact]
    public void A_dependency_cycle_is_named_member_by_member()
    {
        var error = Reject("""
            services:
              a:
                image: a
                depends_on: [b]
              b:
                image: b
                depends_on:
                  c: { condition: service_started }
              c:
                image: c
                depends_on: [a]
            """);
        var problem = Assert.Single(error.Problems);
        Assert.Contains("dependency cycle: a -> b -> c -> a", problem.Message);
        Assert.Equal(4, problem.Location.Line);
    }

    [Fact]
    public void A_service_without_image_or_build_is_rejected_at_its_name()
    {
        var error = Reject("""
            services:
              redis:
                image: redis:7
              worker:
                command: ["run"]
            """);
        var problem = Assert.Single(error.Problems);
        Assert.Equal((4, 3), (problem.Location.Line, problem.Location.Column));
        Assert.Contains("services.worker: missing 'image' or 'build'", problem.Message);
    }

    [Fact]
    public void A_build_context_that_cannot_be_a_path_is_a_problem_at_its_line_not_an_exception()
    {
        // Found by the loader fuzz tier: a NUL character ("\0" in a double-quoted YAML scalar) made Path.GetFullPath
        // throw out of the loader.
        var error = Reject("""
            services:
              api:
                build:
                  context: "ctx\0dir"
              worker:
                build: "a\0b"
            """);
        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Location.Line == 4 && p.Message.Contains("services.api.build.context: expected a file or directory path"));
        Assert.Contains(error.Problems, p => p.Location.Line == 6 && p.Message.Contains("services.worker.build: expected a file or directory path"));
    }

    [Fact]
    public void Typos_and_wrong_types_are_all_reported_in_one_pass()
    {
        var error = Reject("""
            services:
              redis:
                image: redis:7
                helthcheck:
                  test: ["CMD", "redis-cli", "ping"]
                ports: "6379"
              api:
                image: api
                depends_on:
                  redis: { condition: service_ready }
                healthcheck:
                  interval: soon
                  retries: many
            """);
        var messages = error.Problems.Select(p => $"{p.Location.Line}: {p.Message}").ToList();
        Assert.Contains(messages, m => m.StartsWith("4: services.redis: unknown key 'helthcheck'") && m.Contains("did you mean 'healthcheck'"));
        Assert.Contains(messages, m => m.StartsWith("6: services.redis.ports: expected a list of ports"));
        Assert.Contains(messages, m => m.StartsWith("10: services.api.depends_on.redis.condition: expected service_started"));
        Assert.Contains(messages, m => m.StartsWith("12: services.api.healthcheck.interval: expected a duration"));
        Assert.Contains(messages, m => m.StartsWith("13: services.api.healthcheck.retries: expected a whole number"));
        Assert.Equal(5, error.Problems.Count);
        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
    }

    [Fact]
    public void An_environment_reference_to_an_undeclared_port_is_an_error()
    {
        var error = Reject("""
            services:
              redis:
                image: redis:7
                ports: ["6379"]
              api:
                image: api
                environment:
                  REDIS_URL: redis://redis:6380/0
            """);
        Assert.Contains("refers to redis:6380, but redis declares ports 6379", Assert.Single(error.Problems).Message);
    }

    [Fact]
    public void Ports_accept_the_compose_short_and_long_forms()
    {
        var topology = Load("""
            services:
              web:
                image: web
                ports:
                  - "80"
                  - "8080:81"
                  - "127.0.0.1::82"
                  - 83
                  - target: 84
                    published: "9084"
                    host_ip: 127.0.0.1
            """);
        var ports = topology["web"].Ports;
        Assert.Equal([80, 81, 82, 83, 84], ports.Select(p => p.ContainerPort));
        Assert.Equal([null, 8080, null, null, 9084], ports.Select(p => p.HostPort));
        Assert.Equal("127.0.0.1", ports[2].HostIp);
    }

    [Fact]
    public void Variables_are_interpolated_like_compose_does()
    {
        Environment.SetEnvironmentVariable("REPLICA_TEST_TAG", "7.2");
        try
        {
            _dir.Write(".env", "REPLICA_TEST_FROM_DOTENV=fromfile\n");
            var topology = Load("""
                services:
                  redis:
                    image: redis:${REPLICA_TEST_TAG}
                    environment:
                      A: ${REPLICA_TEST_UNSET:-fallback}
                      B: $${NOT_A_VARIABLE}
                      C: ${REPLICA_TEST_FROM_DOTENV}
                """);
            var service = topology["redis"];
            Assert.Equal("redis:7.2", service.Image);
            Assert.Equal("fallback", service.Environment["A"]);
            Assert.Equal("${NOT_A_VARIABLE}", service.Environment["B"]);
            Assert.Equal("fromfile", service.Environment["C"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("REPLICA_TEST_TAG", null);
        }
    }

    [Fact]
    public void A_required_variable_that_is_missing_is_reported_with_its_message()
    {
        var error = Reject("""
            services:
              redis:
                image: redis:${REPLICA_TEST_NEVER_SET:?set the redis tag}
            """);
        Assert.Contains("required variable REPLICA_TEST_NEVER_SET is not set: set the redis tag", Assert.Single(error.Problems).Message);
    }

    [Fact]
    public void Replica_extension_fields_are_validated()
    {
        var error = Reject("""
            services:
              api:
                image: api
                ports: ["8000"]
                x-replica:
                  kind: container
                  health: { http: health, tcp: true }
                  start_timout: 5s
            """);
        var messages = error.Problems.Select(p => p.Message).ToList();
        Assert.Contains(messages, m => m.Contains("x-replica.kind: expected process, redis or postgres, found 'container'"));
        Assert.Contains(messages, m => m.Contains("x-replica.health: give exactly one of http, tcp, redis, postgres or none"));
        Assert.Contains(messages, m => m.Contains("unknown key 'start_timout'") && m.Contains("did you mean 'start_timeout'"));
    }

    [Fact]
    public void An_empty_file_and_a_missing_file_say_so()
    {
        Assert.Contains("the file is empty", Reject("").Message);
        var missing = Assert.Throws<ReplicaException>(() => ComposeLoader.Load(Path.Combine(_dir.Path, "nope.yaml")));
        Assert.Contains("compose file not found", missing.Message);
        Assert.Equal(ReplicaErrorKind.BadInput, missing.Kind);
    }

    [Theory]
    [InlineData("    ports: [\"99999999999:80\"]", 4, "ports run from 1 to 65535, found '99999999999:80'")]
    [InlineData("    ports: [\"80\"]\n    healthcheck: { test: curl -f http://localhost:99999999999/health }", 5, "declares no port 99999999999 under ports:")]
    [InlineData("    ports: [\"80\"]\n    healthcheck: { test: curl -f http://localhost:8080/health }", 5, "declares no port 8080 under ports:")]
    [InlineData("    healthcheck: { test: curl -f http://localhost/health }", 4, "declares no ports under ports:")]
    [InlineData("    x-replica: { command: [sleep, '60'], health: { http: /ready } }", 4, "x-replica.health: the check needs a port")]
    [InlineData("    healthcheck: { test: true, interval: 99999999999999999999h }", 4, "interval: a duration can be at most 8760h")]
    [InlineData("    healthcheck: { test: true, timeout: 1e300 }", 4, "timeout: a duration can be at most 8760h")]
    [InlineData("    x-replica: { command: [sleep, '60'], start_timeout: 9000h }", 4, "start_timeout: a duration can be at most 8760h")]
    [InlineData("    environment: { [A]: b }", 4, "services.api.environment: expected a name as key, found a list")]
    [InlineData("    depends_on: { { a: b }: { condition: service_started } }", 4, "services.api.depends_on: expected a name as key, found a mapping")]
    [InlineData("    x-replica: { command: [sleep, '60'], environment: { [A]: b } }", 4, "services.api.x-replica.environment: expected a name as key, found a list")]
    public void Out_of_range_numbers_odd_keys_and_unreachable_checks_are_reported_at_their_line(string lines, int line, string message)
    {
        var error = Reject("services:\n  api:\n    image: api\n" + lines + "\n");
        var problem = Assert.Single(error.Problems);
        Assert.Contains(message, problem.Message);
        Assert.Equal(line, problem.Location.Line);
    }

    [Fact]
    public void A_healthcheck_that_outlasts_every_deadline_is_capped()
    {
        var topology = Load("""
            services:
              api:
                image: api
                ports: ["80"]
                healthcheck: { test: curl -f http://localhost:80/health, interval: 8000h, timeout: 8000h, retries: 2000000000 }
            """);
        Assert.Equal(YamlNodeReader.MaxDuration, topology["api"].Replica.StartTimeout);
    }
}
