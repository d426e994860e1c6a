namespace Replica.Bench.Environments;

/// <summary>
/// The counted runs of one runtime: up and down times, when the runtime had prepared (the first service starting),
/// when each service was started and when it became healthy (seconds from the start of `up`), and the machine's
/// 1-minute load average after each run.
/// </summary>
public sealed class Measurements
{
    public List<double> Up { get; } = [];

    public List<double> Down { get; } = [];

    public List<double> Prepared { get; } = [];

    public List<double> Load { get; } = [];

    public Dictionary<string, List<double>> StartedAt { get; } = [];

    public Dictionary<string, List<double>> HealthyAt { get; } = [];

    public void Add(double up, double down, double? prepared, IReadOnlyDictionary<string, double> startedAt, IReadOnlyDictionary<string, double> healthyAt, double load)
    {
        Up.Add(up);
        Down.Add(down);
        if (prepared is { } at)
        {
            Prepared.Add(at);
        }
        Load.Add(load);
        AddAll(StartedAt, startedAt);
        AddAll(HealthyAt, healthyAt);
    }

    private static void AddAll(Dictionary<string, List<double>> into, IReadOnlyDictionary<string, double> times)
    {
        foreach (var (service, at) in times)
        {
            if (!into.TryGetValue(service, out var list))
            {
                into[service] = list = [];
            }
            list.Add(at);
        }
    }
}
