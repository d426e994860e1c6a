using Replica.Chaos.Sweeps;
using Replica.Environments.Errors;

namespace Replica.Chaos.Tests.Sweeps;

/// <summary>RANGE as a user writes it: a grid, a list, auto between two ends; typed by what the path holds.</summary>
public sealed class SweepRangeTests
{
    [Fact]
    public void A_grid_of_durations_is_every_step_from_low_to_high_in_milliseconds()
    {
        var range = SweepRange.Parse("0ms..2s/250ms", SweepValueKind.Duration, "--vary x");

        Assert.Equal([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000], range.Values);
        Assert.False(range.Adaptive);
        Assert.Equal(SweepValueKind.Duration, range.Kind);
    }

    [Fact]
    public void A_list_is_sorted_and_an_auto_range_starts_with_a_coarse_grid_including_both_ends()
    {
        Assert.Equal([1000, 5000, 30000, 60000], SweepRange.Parse("30s,1s,60s,5s", SweepValueKind.Duration, "--vary x").Values);

        var auto = SweepRange.Parse("auto:0ms..2s", SweepValueKind.Duration, "--vary x");
        Assert.True(auto.Adaptive);
        Assert.Equal([0, 500, 1000, 1500, 2000], auto.Values);
    }

    [Fact]
    public void Without_a_kind_the_range_decides_and_a_number_range_stays_numbers()
    {
        Assert.Equal(SweepValueKind.Duration, SweepRange.Parse("0..2s/1s", null, "--vary x").Kind);
        var numbers = SweepRange.Parse("1..5/2", SweepValueKind.Number, "--vary x");
        Assert.Equal([1, 3, 5], numbers.Values);
        Assert.Equal(SweepValueKind.Number, numbers.Kind);
    }

    [Theory]
    [InlineData("0ms..2s", "give a step (0ms..2s/STEP) or let the sweep choose (auto:0ms..2s)")]
    [InlineData("2s..1s/100ms", "the range must go up")]
    [InlineData("0..2000/100", "has no unit: the path holds a duration")]
    [InlineData("0ms..2s/0ms", "the step must be more than 0")]
    [InlineData("0ms..100s/1ms", "at most 200")]
    [InlineData("auto", "auto needs its two ends")]
    [InlineData("auto:0ms..2s/100ms", "auto picks its own points")]
    [InlineData("1s,,2s", "an empty value")]
    [InlineData("soon..later/1s", "not a duration")]
    public void A_bad_range_is_bad_input_naming_the_flag_and_what_was_expected(string text, string expected)
    {
        var error = Assert.Throws<ReplicaException>(() => SweepRange.Parse(text, SweepValueKind.Duration, "--vary timeline[3].after=" + text));

        Assert.Equal(ReplicaErrorKind.BadInput, error.Kind);
        Assert.StartsWith("--vary timeline[3].after=", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_duration_given_where_a_number_is_held_is_refused()
    {
        var error = Assert.Throws<ReplicaException>(() => SweepRange.Parse("0..2s/1s", SweepValueKind.Number, "--vary a"));

        Assert.Contains("'2s' is a duration: the path holds a number", error.Message);
    }
}
