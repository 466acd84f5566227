using System.Numerics.Tensors;
using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Tests.Evaluation;

/// <summary>
/// A plain item-based collaborative filter, the reference non-neural recommender for the learnability test:
/// sim(i, j) = co-occurrence(i, j) / √(count(i) · count(j)) on the training matrix (cosine of item columns), and
/// score(u, j) = Σ_{i ∈ train(u)} sim(i, j). Dense item × item similarity: for test-sized catalogues only.
/// </summary>
internal sealed class ItemKnnRecommender
{
    private readonly float[] _similarity;
    private readonly int _items;
    private readonly float[] _scores;

    public ItemKnnRecommender(SparseMatrix train)
    {
        var n = _items = train.Columns;
        _scores = new float[n];
        var co = new float[(long)n * n];
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.RowIndices(r);
            foreach (var a in row)
            {
                var target = co.AsSpan(a * n, n);
                foreach (var b in row) target[b] += 1;
            }
        }

        var inverseNorm = new float[n];
        for (var i = 0; i < n; i++) inverseNorm[i] = 1 / MathF.Sqrt(Math.Max(co[((long)i * n) + i], 1));
        for (var i = 0; i < n; i++)
        {
            var row = co.AsSpan(i * n, n);
            TensorPrimitives.Multiply(row, inverseNorm, row);
            TensorPrimitives.Multiply(row, inverseNorm[i], row);
            row[i] = 0;
        }
        _similarity = co;
    }

    /// <summary>The k best-scoring columns the row has not seen, best first.</summary>
    public int[] Recommend(int row, SparseMatrix seen, int k)
    {
        Array.Clear(_scores);
        var items = seen.RowIndices(row);
        foreach (var a in items) TensorPrimitives.Add(_scores, _similarity.AsSpan(a * _items, _items), _scores);
        foreach (var a in items) _scores[a] = float.NegativeInfinity;

        // Insertion into a short sorted list: k is small.
        var best = new List<(float Score, int Column)>(k + 1);
        for (var j = 0; j < _items; j++)
        {
            var s = _scores[j];
            if (float.IsNegativeInfinity(s) || (best.Count == k && s <= best[^1].Score)) continue;
            var at = best.Count;
            while (at > 0 && best[at - 1].Score < s) at--;
            best.Insert(at, (s, j));
            if (best.Count > k) best.RemoveAt(k);
        }
        return best.Select(b => b.Column).ToArray();
    }
}
