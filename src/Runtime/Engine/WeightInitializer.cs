using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Initial weights and biases (docs/semantics.md, "Initialisers"). Each weight is a function of (seed, edge, global
/// row, global column) alone, so a shard fills its block without knowing the others and every shard count gets the
/// same network.
/// </summary>
internal static class WeightInitializer
{
    /// <summary>Fills <paramref name="values"/> (the block's weights, row-major) with their initial values.</summary>
    public static void Initialize(EdgeWeights block, Span<float> values, InitSpec init, int inputWidth, int outputWidth, ulong seed)
    {
        var key = CounterRng.Key(seed, CounterRng.Stream.Init, (ulong)block.Edge.Index);
        var scale = (double)init.Scale;
        for (var r = 0; r < block.Rows; r++)
        {
            var globalRow = (ulong)(block.RowStart + r);
            for (var c = 0; c < block.Columns; c++)
            {
                var counter = (globalRow * (ulong)outputWidth) + (ulong)(block.ColumnStart + c);
                values[(r * block.Columns) + c] = (float)Draw(init.Scheme, scale, inputWidth, outputWidth, key, counter);
            }
        }
    }

    private static double Draw(InitScheme scheme, double scale, int nIn, int nOut, ulong key, ulong counter) => scheme switch
    {
        // DSSTNE: U(−s/2, s/2), s = scale·√(6 / (n_in + n_out)).
        InitScheme.Xavier => scale * Math.Sqrt(6.0 / (nIn + nOut)) * (CounterRng.OpenUniform(key, counter) - 0.5),
        InitScheme.CaffeXavier => scale * Math.Sqrt(3.0 / nOut) * ((2 * CounterRng.OpenUniform(key, counter)) - 1),
        InitScheme.Gaussian => scale * CounterRng.Normal(key, counter),
        InitScheme.Uniform => scale * ((2 * CounterRng.OpenUniform(key, counter)) - 1),
        InitScheme.UnitBall => scale * CounterRng.OpenUniform(key, counter),
        InitScheme.LeCun => scale * Math.Sqrt(1.0 / nIn) * CounterRng.Normal(key, counter),
        InitScheme.Constant => scale,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialisation scheme."),
    };
}
