namespace DestinyDsl.Runtime.Engine;

internal sealed partial class ShardSchedule
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

    public void ReadBlock(int edge, int part, Span<float> destination) => Read(_weights[edge].Parameters, part, destination);

    public void WriteBlock(int edge, int part, ReadOnlySpan<float> source) => Write(_weights[edge].Parameters, part, source);

    public void ReadBias(int layer, int part, Span<float> destination) => ReadUnits(layer, UnitTensor.Bias, part, destination);

    public void WriteBias(int layer, int part, ReadOnlySpan<float> source) => WriteUnits(layer, UnitTensor.Bias, part, source);

    // A state the rule does not keep reads as nothing and accepts nothing, as an empty array did.
    private void Read(Devices.ParameterTensors p, int part, Span<float> destination)
    {
        if (p.Part(part) is { } t) _device.Download(t, 0, destination[..(int)Math.Min(destination.Length, t.Length)]);
    }

    private void Write(Devices.ParameterTensors p, int part, ReadOnlySpan<float> source)
    {
        if (p.Part(part) is { } t) _device.Upload(source[..(int)Math.Min(source.Length, t.Length)], t, 0);
        else if (!source.IsEmpty) throw new ArgumentException($"The optimizer keeps no state tensor {part}.", nameof(source));
    }
}
