namespace DestinyDsl.Runtime.Kernels;

/// <summary>Top-k by sorting every candidate: the reference <see cref="TopK"/> is tested against.</summary>
public static class TopKReference
{
    /// <summary>Same contract as <see cref="TopK.Select"/>.</summary>
    public static int Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<int> excludeSorted, Span<int> indices, Span<float> values)
    {
        var list = new List<(float Score, int Index)>();
        var excluded = new HashSet<int>(excludeSorted.ToArray());
        for (var i = 0; i < scores.Length; i++)
        {
            if (!excluded.Contains(i) && !float.IsNaN(scores[i]))
            {
                list.Add((scores[i], i));
            }
        }
        list.Sort((x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Index.CompareTo(y.Index));
        var count = Math.Min(Math.Max(k, 0), list.Count);
        for (var i = 0; i < count; i++)
        {
            indices[i] = list[i].Index;
            values[i] = list[i].Score;
        }
        return count;
    }
}
