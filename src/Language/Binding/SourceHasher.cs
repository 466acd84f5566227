using System.Globalization;
using System.Text;
using DestinyDsl.Language.Model;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// <see cref="NetworkModel.SourceHash"/>: FNV-1a 64 (as 16 lower-case hex digits) over the UTF-8 bytes of a
/// canonical text of the network's meaning — name, layers with every bound value (defaults applied), loss,
/// optimizer, training and search space. Comments, spacing, argument order, file path, namespace and line
/// numbers do not enter it, so a checkpoint still matches after cosmetic edits; numbers enter as their exact
/// IEEE-754 bits.
/// </summary>
internal static class SourceHasher
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static string Hash(NetworkModel network)
    {
        var text = Canonical(network);
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>The canonical text (exposed for tests and for debugging a hash mismatch).</summary>
    public static string Canonical(NetworkModel network)
    {
        var b = new StringBuilder();
        b.Append("dnet-v1 network ").Append(network.Name).Append('\n');
        foreach (var layer in network.Layers)
        {
            b.Append("layer ").Append(layer.Name).Append(' ').Append(layer.Kind)
                .Append(" width ").Append(layer.Width.IsAuto ? "auto" : Tunable(layer.Width.Units))
                .Append(" sparse ").Append(layer.Sparse ? '1' : '0')
                .Append(" act ").Append(layer.Activation.Kind).Append(' ').Append(Bits(layer.Activation.Slope))
                .Append(' ').Append(Bits(layer.Activation.Alpha)).Append(' ').Append(Bits(layer.Activation.Lambda))
                .Append(" sources ").Append(string.Join(",", layer.Sources))
                .Append(" target ").Append(layer.Target ?? "-")
                .Append(" dropout ").Append(Tunable(layer.Dropout))
                .Append(" init ").Append(layer.Init.Scheme).Append(' ').Append(Bits(layer.Init.Scale))
                .Append(" bias ").Append(Bits(layer.BiasInit))
                .Append(" maxnorm ").Append(Bits(layer.MaxNorm));
            // Only tied layers add a word, so the hash of every untied network stays what it was.
            if (layer.Tied is { } tied) b.Append(" tied ").Append(tied.Source).Append("->").Append(tied.Target);
            // Only a written batch_norm enters, so layers without one keep the hash they always had.
            if (layer.BatchNorm is { } bn) b.Append(" batchnorm ").Append(Bits(bn.Momentum)).Append(' ').Append(Bits(bn.Epsilon));
            b.Append('\n');
        }
        var loss = network.Loss;
        b.Append("loss ").Append(loss.Kind).Append(' ').Append(Tunable(loss.OneTarget)).Append(' ').Append(Tunable(loss.ZeroTarget))
            .Append(' ').Append(Tunable(loss.OneScale)).Append(' ').Append(Tunable(loss.ZeroScale)).Append('\n');
        var o = network.Optimizer;
        b.Append("optimizer ").Append(o.Kind).Append(" momentum-state ").Append(o.HasMomentum ? '1' : '0');
        foreach (var t in new[] { o.LearningRate, o.Momentum, o.Decay, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.L1Decay })
            b.Append(' ').Append(Tunable(t));
        // Only a written schedule enters, so networks without one keep the hash they always had.
        if (o.Schedule is { } s)
        {
            b.Append(" schedule ").Append(s.Kind);
            foreach (var t in new[] { s.Every, s.Factor, s.Decay, s.MinFactor, s.Warmup, s.WarmupStart })
                b.Append(' ').Append(Tunable(t));
            b.Append(" period ").Append(s.Epochs is null ? "train" : Tunable(s.Epochs));
        }
        b.Append('\n');
        var train = network.Training;
        b.Append("train ").Append(Tunable(train.Batch)).Append(' ').Append(Tunable(train.Epochs)).Append(' ').Append(Tunable(train.Denoising))
            .Append(" shuffle ").Append(train.Shuffle ? '1' : '0').Append(" seed ").Append(train.Seed.ToString(CultureInfo.InvariantCulture));
        if (train.SparsenessPenalty is { } penalty) b.Append(" sparseness ").Append(Tunable(penalty.P)).Append(' ').Append(Tunable(penalty.Beta));
        b.Append('\n');
        foreach (var parameter in network.SearchSpace)
            b.Append("search ").Append(parameter.Path).Append(' ').Append(Bits(parameter.Default)).Append(' ').Append(Range(parameter.Range)).Append('\n');
        return b.ToString();
    }

    private static string Tunable(Tunable t) => t.Range is null ? Bits(t.Value) : Bits(t.Value) + Range(t.Range);

    private static string Range(SearchRange? range) => range switch
    {
        ContinuousRange c => $"[{Bits(c.Low)}..{Bits(c.High)}{(c.Log ? ",log" : "")}{(c.Integer ? ",int" : "")}]",
        ChoiceRange c => "{" + string.Join(",", c.Choices.Select(Bits)) + "}",
        _ => string.Empty,
    };

    private static string Bits(double value) => BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value).ToString("x16", CultureInfo.InvariantCulture);
}
