using Replica.Tests.Support;

namespace Replica.Proxy.Edge.Tests;

public sealed class TimingCollectionTests
{
    [Fact]
    public void Every_class_in_the_timing_collection_is_in_the_timing_category_so_the_fast_tier_runs_it_alone() =>
        Assert.Empty(TimingCategory.ClassesMissingTrait(typeof(TimingCollection).Assembly, TimingCollection.Name));
}
