using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>Checks that refreshed options changed only hyperparameters, never the network's structure.</summary>
internal static class StructureCheck
{
    public static void EnsureSame(NetworkSpec built, NetworkSpec refreshed)
    {
        if (built.Layers.Count != refreshed.Layers.Count) throw Changed(built, "the number of layers");
        for (var i = 0; i < built.Layers.Count; i++)
        {
            var a = built.Layers[i];
            var b = refreshed.Layers[i];
            if (a.Name != b.Name || a.Kind != b.Kind || a.Sparse != b.Sparse || a.Target != b.Target || !a.Sources.SequenceEqual(b.Sources) || a.Activation.Kind != b.Activation.Kind || a.Tied != b.Tied
                || (a.BatchNorm is null) != (b.BatchNorm is null))
                throw Changed(built, $"layer '{a.Name}'");
            if (a.Width != b.Width)
                throw Changed(built, $"the width of '{a.Name}' ({a.Width} → {b.Width}); widths are fixed when the model is built: create a new model");
        }
    }

    private static InvalidOperationException Changed(NetworkSpec spec, string what)
        => new($"The options of '{spec.Name}' changed {what} after the model was built.");
}
