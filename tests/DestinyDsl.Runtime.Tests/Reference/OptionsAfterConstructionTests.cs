using DestinyDsl.Runtime.Data;
using DestinyDsl.Runtime.Tests.Engine;
using DestinyDsl.Runtime.Training;
using static DestinyDsl.Runtime.Tests.Engine.TestNetworks;

namespace DestinyDsl.Runtime.Tests.Reference;

/// <summary>
/// docs/generated-code.md: the typed options are read again at every Train (and Loss/Evaluate) call. For each kind of
/// setting — optimizer (learning rate, β₁, weight decay), training loop (batch, epochs, shuffle, seed, denoising),
/// layer (dropout) — on the generated DenoisingMaxNorm:
/// <list type="bullet">
/// <item>a model whose option is set after construction trains exactly (bit for bit) like one built with that value;</item>
/// <item>a change made between two Train calls leaves the first call as it was and takes effect in the second;</item>
/// <item>negative control: the new value changes the training at all (else the two checks above would pass for a runtime
/// that ignored the change).</item>
/// </list>
/// A structural setting (a tuned width) changed after construction is refused at the next call with a clear error.
/// </summary>
public sealed class OptionsAfterConstructionTests
{
    private const int Items = 30;

    private static readonly NetworkData Data = new NetworkData().Add("items", RandomSparse(24, Items, 6, seed: 31));

    public static TheoryData<string, double> Settings => new()
    {
        { "optimizer.learning_rate", 0.03 },
        { "optimizer.beta1", 0.5 },
        { "optimizer.weight_decay", 0.1 },
        { "train.batch", 5 },
        { "train.epochs", 2 },
        { "train.shuffle", 1 },
        { "train.denoising", 0.5 },
        { "h1.dropout", 0.5 },
    };

    /// <summary>Losses of every step and the final weights of two Train calls (epochs from the options).</summary>
    private sealed record Run(List<double> First, List<double> Second, float[] Weights);

    private static Run Train(DenoisingMaxNorm model, Action? between = null)
    {
        var first = new List<double>();
        var second = new List<double>();
        model.Train(Data, progress: new SynchronousProgress(p => first.Add(p.Loss)));
        between?.Invoke();
        model.Train(Data, progress: new SynchronousProgress(p => second.Add(p.Loss)));
        return new Run(first, second, model.GetWeights("h1", "items").Data);
    }

    private static DenoisingMaxNorm Built(string path, double value)
    {
        var options = new DenoisingMaxNormOptions();
        options.Set(path, value);
        return new DenoisingMaxNorm(itemsWidth: Items, options: options);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void ASettingChangedAfterConstructionTakesEffectAtTheNextTrain(string path, double value)
    {
        using var builtWithValue = Built(path, value);
        using var setAfterConstruction = new DenoisingMaxNorm(itemsWidth: Items);
        using var defaults = new DenoisingMaxNorm(itemsWidth: Items);
        using var changedBetweenCalls = new DenoisingMaxNorm(itemsWidth: Items);
        Assert.NotEqual(value, defaults.Options.Get(path));

        setAfterConstruction.Options.Set(path, value);
        var expected = Train(builtWithValue);
        var actual = Train(setAfterConstruction);
        var unchanged = Train(defaults);
        var between = Train(changedBetweenCalls, () => changedBetweenCalls.Options.Set(path, value));

        // Negative control: the setting matters here.
        Assert.False(unchanged.First.SequenceEqual(expected.First), $"{path} = {value} does not change training; the test would prove nothing");
        // Set after construction = built with it.
        Assert.Equal(expected.First, actual.First);
        Assert.Equal(expected.Second, actual.Second);
        Assert.Equal(expected.Weights, actual.Weights);
        Assert.Equal(value, setAfterConstruction.Options.Get(path), 6);
        // Changed between calls: the first call is the default's, the second is not.
        Assert.Equal(unchanged.First, between.First);
        Assert.False(unchanged.Second.SequenceEqual(between.Second), $"{path} = {value} set between two Train calls did not change the second");
    }

    [Fact]
    public void ASeedChangedAfterConstructionReKeysTheDrawsButNotTheInitialWeights()
    {
        // The initial weights are drawn when the model is built; dropout, denoising and the shuffle are keyed by the
        // seed of each call (docs/generated-code.md).
        using var defaults = new DenoisingMaxNorm(itemsWidth: Items);
        using var reseeded = new DenoisingMaxNorm(itemsWidth: Items);
        using var between = new DenoisingMaxNorm(itemsWidth: Items);
        using var builtWith99 = Built("train.seed", 99);
        reseeded.Options.Seed = 99;
        Assert.Equal(defaults.GetWeights("h1", "items").Data, reseeded.GetWeights("h1", "items").Data);
        Assert.NotEqual(defaults.GetWeights("h1", "items").Data, builtWith99.GetWeights("h1", "items").Data);
        var unchanged = Train(defaults);
        var changed = Train(reseeded);
        var later = Train(between, () => between.Options.Seed = 99);
        Assert.False(unchanged.First.SequenceEqual(changed.First), "a seed set after construction did not change the dropout and denoising draws");
        Assert.Equal(99UL, reseeded.Spec.Training.Seed);
        Assert.Equal(unchanged.First, later.First);
        Assert.False(unchanged.Second.SequenceEqual(later.Second), "a seed set between two Train calls did not change the second");
    }

    [Fact]
    public void TheTypedPropertiesAreReadAgainToo()
    {
        // Set does nothing the property setters do not (it assigns them); this checks the typed path on its own.
        using var built = Built("optimizer.learning_rate", 0.03);
        using var typed = new DenoisingMaxNorm(itemsWidth: Items);
        typed.Options.LearningRate = 0.03f;
        Assert.Equal(Train(built).Weights, Train(typed).Weights);
    }

    [Fact]
    public void AStructuralSettingChangedAfterConstructionIsRefusedWithAClearError()
    {
        using var model = new TunedWidth(itemsWidth: Items);
        model.Train(Data);
        var before = model.GetWeights("h1", "items").Data;
        model.Options.Set("h1.width", 10);
        var error = Assert.Throws<InvalidOperationException>(() => model.Train(Data));
        Assert.Contains("width of 'h1' (12 → 10)", error.Message, StringComparison.Ordinal);
        Assert.Contains("create a new model", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => model.Loss(Data));
        // Nothing was trained by the refused call, and setting the width back makes the model usable again.
        Assert.Equal(before, model.GetWeights("h1", "items").Data);
        model.Options.Set("h1.width", 12);
        model.Train(Data);
        Assert.Equal(12, model.Spec["h1"].Width);
    }
}
