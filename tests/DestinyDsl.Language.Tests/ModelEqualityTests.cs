using System.Reflection;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Tests;

/// <summary>The generator caches on model equality: models must be values, and only meaning may change them.</summary>
public class ModelEqualityTests
{
    [Fact]
    public void CompilingTheSameTextTwiceGivesEqualModelsAndHashCodes()
    {
        foreach (var text in new[] { Examples.MovieLens, Examples.DeepAutoencoder, Examples.Everything })
        {
            var a = Dnet.Compile(text);
            var b = Dnet.Compile(text);
            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.Equal(a.Networks.Single(), b.Networks.Single());
            Assert.Equal(a.Networks.Single().GetHashCode(), b.Networks.Single().GetHashCode());
        }
    }

    [Fact]
    public void CommentAndSpacingEditsOnTheSameLinesGiveAnEqualModel()
    {
        var edited = Examples.DeepAutoencoder
            .Replace("    hidden h1     : 1024 sigmoid", "    hidden   h1:1024    sigmoid /* wide */")
            .Replace("// several sources are summed (skip connection)", "// a different comment")
            .Replace("tune(256 .. 4096, log, int)", "tune( 256..4096 ,log,int )");
        Assert.NotEqual(Examples.DeepAutoencoder, edited);
        Assert.Equal(Dnet.Network(Examples.DeepAutoencoder), Dnet.Network(edited));
    }

    [Fact]
    public void ArgumentOrderAndExplicitDefaultsDoNotChangeTheModel()
    {
        var implicitDefaults = Dnet.Network(Dnet.With("    optimizer adam(beta1 = 0.8)"));
        var explicitDefaults = Dnet.Network(Dnet.With("    optimizer adam(epsilon = 1e-8, beta1 = 0.8, learning_rate = 0.001, beta2 = 0.999)\n    train shuffle = true, seed = 12134\n    loss cross_entropy"));
        Assert.Equal(implicitDefaults, explicitDefaults);
    }

    [Fact]
    public void InsertingLinesChangesOnlyTheLineFieldsAndNotTheHash()
    {
        var original = Dnet.Network(Examples.MovieLens);
        var shifted = Dnet.Network("// a new first line\n\n" + Examples.MovieLens);
        Assert.NotEqual(original, shifted);
        Assert.Equal(original.SourceHash, shifted.SourceHash);
        Assert.Equal(original.Line + 2, shifted.Line);
        var realigned = shifted with { Line = original.Line, Layers = shifted.Layers.Select(l => l with { Line = l.Line - 2 }).ToEquatableArray() };
        Assert.Equal(original, realigned);
    }

    [Fact]
    public void TheHashIgnoresFilePathNamespaceAndCommentsButNotMeaning()
    {
        var baseline = Dnet.Network(Examples.MovieLens);
        var elsewhere = DnetCompiler.Compile(Examples.MovieLens.Replace("namespace Samples.MovieLens;", "namespace Other; // moved"), "/other/path.dnet").Networks.Single();
        Assert.Equal(baseline.SourceHash, elsewhere.SourceHash);
        Assert.NotEqual(baseline, elsewhere);

        var changed = Dnet.Network(Examples.MovieLens.Replace("hidden h1     : 128", "hidden h1     : 129"));
        Assert.NotEqual(baseline.SourceHash, changed.SourceHash);
        var changedLearningRate = Dnet.Network(Examples.MovieLens.Replace("0.025", "0.0250000001"));
        Assert.NotEqual(baseline.SourceHash, changedLearningRate.SourceHash);
    }

    [Fact]
    public void TheHashIsStableAcrossRunsAndMachines()
    {
        // A checkpoint records this value: it must not depend on the process (no string.GetHashCode).
        Assert.Equal("aa38800bc95b19bb", Dnet.Network(Examples.MovieLens).SourceHash);
    }

    [Fact]
    public void EveryTypeReachableFromTheModelIsAnImmutableValue()
    {
        var seen = new HashSet<Type>();
        var problems = new List<string>();
        Walk(typeof(NetworkModel), "NetworkModel", seen, problems);
        Walk(typeof(DnetCompilation), "DnetCompilation", seen, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(typeof(LayerModel), seen);
        Assert.Contains(typeof(ContinuousRange), seen);
        Assert.Contains(typeof(ChoiceRange), seen);
    }

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !seen.Add(type)) return;
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
        {
            Walk(nullable, path, seen, problems);
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            Walk(type.GetGenericArguments()[0], path + "[]", seen, problems);
            return;
        }
        if (type.IsArray || typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            problems.Add($"{path}: {type.Name} is a collection without value equality; use EquatableArray");
            return;
        }
        var isRecord = type.GetMethod("<Clone>$") is not null || (type.IsValueType && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance) is not null);
        if (!isRecord) problems.Add($"{path}: {type.Name} is not a record");
        if (type.IsClass && !type.IsSealed && !type.IsAbstract) problems.Add($"{path}: {type.Name} is not sealed");

        // Abstract records (SearchRange): every concrete derived record must be a value too.
        if (type.IsAbstract)
        {
            foreach (var derived in type.Assembly.GetTypes().Where(t => t.IsSubclassOf(type)))
                Walk(derived, path + "<" + derived.Name + ">", seen, problems);
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract") continue;
            if (property.SetMethod is { IsPublic: true } setter && !setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"))
                problems.Add($"{path}.{property.Name} has a public setter");
            Walk(property.PropertyType, path + "." + property.Name, seen, problems);
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (field.Name.Contains("k__BackingField")) continue;
            if (!field.IsInitOnly) problems.Add($"{path}.{field.Name} is a mutable field");
        }
    }
}
