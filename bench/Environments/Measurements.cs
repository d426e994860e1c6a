namespace Replica.Bench.Environments;

/// <summary>The counted runs of one runtime: up and down times, and when each service became healthy.</summary>
public sealed class Measurements
{
    public List<double> Up { get; } = [];

    public List<double> Down { get; } = [];

    public Dictionary<string, List<double>> HealthyAt { get; } = [];

    public void Add(double up, double down, IReadOnlyDictionary<string, double> healthyAt)
    {
        Up.Add(up);
        Down.Add(down);
        foreach (var (service, at) in healthyAt)
        {
            if (!HealthyAt.TryGetValue(service, out var times))
            {
                HealthyAt[service] = times = [];
            }
            times.Add(at);
        }
    }
}
