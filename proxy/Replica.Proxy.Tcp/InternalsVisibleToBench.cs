using System.Runtime.CompilerServices;

// The latency-accuracy benchmark measures the wait scheduler alone, to show the machine's own wake-up floor.
[assembly: InternalsVisibleTo("Replica.Bench")]
