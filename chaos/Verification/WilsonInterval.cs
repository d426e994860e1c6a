namespace Replica.Chaos.Verification;

/// <summary>
/// The Wilson score interval for a binomial proportion: unlike the normal approximation it stays inside 0..1 and
/// gives a real upper bound for 0 failures (0/20 → at most 16.1 % at 95 %).
/// </summary>
public readonly record struct WilsonInterval(double Low, double High)
{
    public const double Z95 = 1.959963984540054;

    public static WilsonInterval Of(int successes, int trials, double z = Z95)
    {
        if (trials <= 0)
        {
            return new WilsonInterval(0, 1);
        }
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var center = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return new WilsonInterval(Math.Max(0, center - half), Math.Min(1, center + half));
    }

    public override string ToString() => $"{Low * 100:0.0}–{High * 100:0.0} %";
}
