namespace Replica.Chaos.Scenarios;

public enum LifecycleVerb
{
    Start,
    Stop,
    Restart,
    Kill,
    Pause,
    Resume,
}
