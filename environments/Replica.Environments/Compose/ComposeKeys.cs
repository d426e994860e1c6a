namespace Replica.Environments.Compose;

/// <summary>The keys the Compose specification allows, so a typo is reported instead of silently ignored.</summary>
internal static class ComposeKeys
{
    public static readonly HashSet<string> TopLevel =
        ["version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models"];

    public static readonly HashSet<string> Service =
    [
        "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
        "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
        "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
        "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
        "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
        "hostname", "image", "init", "ipc", "isolation", "labels", "links", "logging", "mac_address", "mem_limit",
        "mem_reservation", "mem_swappiness", "memswap_limit", "network_mode", "networks", "oom_kill_disable",
        "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles",
        "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open",
        "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "user",
        "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
    ];

    public static readonly HashSet<string> Healthcheck =
        ["test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"];

    public static readonly HashSet<string> DependsOn = ["condition", "required", "restart"];

    public static readonly HashSet<string> Build =
    [
        "context", "dockerfile", "dockerfile_inline", "args", "ssh", "cache_from", "cache_to", "additional_contexts",
        "entitlements", "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms", "privileged", "pull",
        "secrets", "shm_size", "tags", "target", "ulimits",
    ];

    public static readonly HashSet<string> Port = ["target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"];

    public static readonly HashSet<string> ReplicaService = ["kind", "command", "dotnet", "environment", "health", "start_timeout"];

    public static readonly HashSet<string> ReplicaHealth = ["http", "tcp", "redis", "postgres", "none", "port"];

    public static readonly HashSet<string> ReplicaTopLevel = ["edge", "network"];

    public static readonly HashSet<string> ReplicaEdge = ["routes", "tls"];

    public static readonly HashSet<string> ReplicaEdgeTls = ["hosts", "certificate", "key"];

    public static readonly HashSet<string> ReplicaNetwork = ["profile", "profiles"];

    public static readonly HashSet<string> ReplicaNetworkProfile = ["description", "clients", "dependencies"];

    public static readonly HashSet<string> ReplicaNetworkPath = ["rtt", "jitter", "bandwidth"];

    public static readonly HashSet<string> ReplicaRoute = ["name", "path", "service", "port"];
}
