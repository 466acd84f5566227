namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardEngine
{
    public WeightBlock BlockOf(int edge, int shard)
    {
        var e = _plan.Edges[edge];
        if (_shards == 1) return new WeightBlock(0, _plan.Layer(e.Source).Width, 0, _plan.Layer(e.Target).Width);
        if (e.Split == EdgeSplit.ByInputRows)
        {
            var r = _allRanges[e.Source][shard];
            return new WeightBlock(r.Start, r.Count, 0, _plan.Layer(e.Target).Width);
        }
        var c = _allRanges[e.Target][shard];
        return new WeightBlock(0, _plan.Layer(e.Source).Width, c.Start, c.Count);
    }

    public void ReadBlock(int edge, int part, Span<float> destination) => Part(_weights[edge], part).CopyTo(destination);

    public void WriteBlock(int edge, int part, ReadOnlySpan<float> source) => source.CopyTo(Part(_weights[edge], part));

    public void ReadBias(int layer, int part, Span<float> destination) => Part(_biases[layer]!, part).CopyTo(destination);

    public void WriteBias(int layer, int part, ReadOnlySpan<float> source) => source.CopyTo(Part(_biases[layer]!, part));

    private static float[] Part(EdgeWeights w, int part) => part switch { 0 => w.Values, 1 => w.State1, _ => w.State2 };

    private static float[] Part(LayerBias b, int part) => part switch { 0 => b.Values, 1 => b.State1, _ => b.State2 };
}
