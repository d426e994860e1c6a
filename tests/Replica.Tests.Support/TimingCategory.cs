using System.Reflection;

namespace Replica.Tests.Support;

/// <summary>
/// Tests that measure time sit in a collection that disables parallelization and carry the trait Category=Timing,
/// which the fast tier runs alone after every other test (the collection alone keeps them apart only from the tests
/// of their own assembly). <see cref="ClassesMissingTrait"/> finds a class that has the one and not the other.
/// </summary>
public static class TimingCategory
{
    public const string Name = "Timing";

    /// <summary>
    /// The test classes of <paramref name="assembly"/> in a collection named <paramref name="collection"/> without
    /// [Trait("Category", "Timing")], by full name.
    /// </summary>
    public static IReadOnlyList<string> ClassesMissingTrait(Assembly assembly, string collection) =>
        [.. assembly.GetTypes()
            .Where(t => Has<CollectionAttribute>(t, collection))
            .Where(t => !Has<TraitAttribute>(t, "Category", Name))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];

    // xUnit's attributes keep their arguments to themselves: read them as written.
    private static bool Has<TAttribute>(Type type, params string[] arguments) where TAttribute : Attribute =>
        type.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(TAttribute)
            && a.ConstructorArguments.Select(c => c.Value as string).SequenceEqual(arguments));
}
