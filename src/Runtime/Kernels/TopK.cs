namespace DestinyDsl.Runtime.Kernels;

/// <summary>Top-k selection without sorting all scores: O(n log k).</summary>
public static class TopK
{
    /// <summary>
    /// Writes the <paramref name="k"/> highest scores (descending; ties broken by the lower index) and their indices,
    /// skipping indices listed in <paramref name="excludeSorted"/> (ascending). Returns how many were written
    /// (less than k only when fewer candidates exist). NaN scores are never selected.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<int> excludeSorted, Span<int> indices, Span<float> values)
    {
        // Reference until the heap-based kernel lands.
        var list = new List<(float Score, int Index)>();
        var e = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            while (e < excludeSorted.Length && excludeSorted[e] < i) e++;
            if (e < excludeSorted.Length && excludeSorted[e] == i) continue;
            if (float.IsNaN(scores[i])) continue;
            list.Add((scores[i], i));
        }
        list.Sort((x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Index.CompareTo(y.Index));
        var count = Math.Min(k, list.Count);
        for (var i = 0; i < count; i++)
        {
            indices[i] = list[i].Index;
            values[i] = list[i].Score;
        }
        return count;
    }
}
