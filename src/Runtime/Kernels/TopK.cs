using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DestinyDsl.Runtime.Kernels;

/// <summary>Top-k selection without sorting all scores: O(n log k).</summary>
/// <remarks>
/// One pass keeps the best k so far in a bounded min-heap (root: the weakest kept). Once the heap is full, a
/// score can only enter by beating the root's, so the scan compares 32 scores at a time against that threshold
/// and looks at single elements only where one beats it: for typical score rows (n ≫ k) almost every step is
/// skipped with one branch (about k·ln(n/k) scores ever enter). Equal scores keep the lower index (indices arrive in ascending order, so a tie with
/// the root never enters).
/// </remarks>
public static class TopK
{
    /// <summary>
    /// Writes the <paramref name="k"/> highest scores (descending; ties broken by the lower index) and their indices,
    /// skipping indices listed in <paramref name="excludeSorted"/> (ascending). Returns how many were written
    /// (less than k only when fewer candidates exist). NaN scores are never selected.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<int> excludeSorted, Span<int> indices, Span<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k, nameof(k));
        var capacity = Math.Min(k, scores.Length);
        if (indices.Length < capacity || values.Length < capacity)
        {
            throw new ArgumentException(
                $"TopK.Select: indices holds {indices.Length} and values {values.Length} entries; k = {k} over {scores.Length} scores needs {capacity} each.");
        }
        for (var e = 1; e < excludeSorted.Length; e++)
        {
            if (excludeSorted[e] < excludeSorted[e - 1])
            {
                throw new ArgumentException(
                    $"TopK.Select: excludeSorted must be ascending, but excludeSorted[{e}] = {excludeSorted[e]} < excludeSorted[{e - 1}] = {excludeSorted[e - 1]}.",
                    nameof(excludeSorted));
            }
        }
        if (capacity == 0)
        {
            return 0;
        }

        // The heap lives in the output spans: a min-heap on (score, then higher index = weaker).
        var heap = new Heap(indices[..capacity], values[..capacity]);
        var exclusion = 0;
        var i = 0;

        // Fill: the first `capacity` admissible scores.
        for (; i < scores.Length && heap.Count < capacity; i++)
        {
            if (IsAdmissible(scores[i], i, excludeSorted, ref exclusion))
            {
                heap.Push(scores[i], i);
            }
        }

        // Scan: only scores above the weakest kept can enter. 32 scores per step are compared with the threshold
        // and tested with one branch; the rare step with a candidate looks at its elements one by one.
        var threshold = heap.Count == capacity ? heap.MinScore : float.NegativeInfinity;
        ref var first = ref MemoryMarshal.GetReference(scores);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= scores.Length; i += 32)
            {
                var t = Vector256.Create(threshold);
                var above = Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)i), t)
                    | Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)(i + 8)), t)
                    | Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)(i + 16)), t)
                    | Vector256.GreaterThan(Vector256.LoadUnsafe(ref first, (nuint)(i + 24)), t);
                if (above != Vector256<float>.Zero)
                {
                    threshold = OfferRange(scores, i, i + 32, threshold, excludeSorted, ref exclusion, ref heap);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= scores.Length; i += 16)
            {
                var t = Vector128.Create(threshold);
                var above = Vector128.GreaterThan(Vector128.LoadUnsafe(ref first, (nuint)i), t)
                    | Vector128.GreaterThan(Vector128.LoadUnsafe(ref first, (nuint)(i + 4)), t)
                    | Vector128.GreaterThan(Vector128.LoadUnsafe(ref first, (nuint)(i + 8)), t)
                    | Vector128.GreaterThan(Vector128.LoadUnsafe(ref first, (nuint)(i + 12)), t);
                if (above != Vector128<float>.Zero)
                {
                    threshold = OfferRange(scores, i, i + 16, threshold, excludeSorted, ref exclusion, ref heap);
                }
            }
        }
        OfferRange(scores, i, scores.Length, threshold, excludeSorted, ref exclusion, ref heap);

        return heap.SortDescending();
    }

    // Offers scores [from, to) in order; returns the threshold (the weakest kept score) afterwards.
    private static float OfferRange(
        ReadOnlySpan<float> scores, int from, int to, float threshold, ReadOnlySpan<int> excludeSorted, ref int exclusion, ref Heap heap)
    {
        for (var at = from; at < to; at++)
        {
            var score = scores[at];
            if (score > threshold && !IsExcluded(at, excludeSorted, ref exclusion))
            {
                heap.ReplaceMin(score, at);
                threshold = heap.MinScore;
            }
        }
        return threshold;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAdmissible(float score, int index, ReadOnlySpan<int> excludeSorted, ref int exclusion)
        => !float.IsNaN(score) && !IsExcluded(index, excludeSorted, ref exclusion);

    // Indices are asked in ascending order, so the exclusion list is walked once in all.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsExcluded(int index, ReadOnlySpan<int> excludeSorted, ref int exclusion)
    {
        while (exclusion < excludeSorted.Length && excludeSorted[exclusion] < index)
        {
            exclusion++;
        }
        return exclusion < excludeSorted.Length && excludeSorted[exclusion] == index;
    }

    /// <summary>A binary min-heap of (score, index) where lower score, then higher index, is weaker.</summary>
    private ref struct Heap(Span<int> indices, Span<float> scores)
    {
        private readonly Span<int> _indices = indices;
        private readonly Span<float> _scores = scores;

        public int Count { get; private set; }

        public readonly float MinScore => _scores[0];

        public void Push(float score, int index)
        {
            var at = Count++;
            while (at > 0)
            {
                var parent = (at - 1) >> 1;
                if (!Weaker(score, index, _scores[parent], _indices[parent]))
                {
                    break;
                }
                _scores[at] = _scores[parent];
                _indices[at] = _indices[parent];
                at = parent;
            }
            _scores[at] = score;
            _indices[at] = index;
        }

        public readonly void ReplaceMin(float score, int index) => SiftDown(0, Count, score, index);

        /// <summary>Turns the heap into the answer: strongest first. Returns the count.</summary>
        public readonly int SortDescending()
        {
            for (var end = Count - 1; end > 0; end--)
            {
                var weakestScore = _scores[0];
                var weakestIndex = _indices[0];
                SiftDown(0, end, _scores[end], _indices[end]);
                _scores[end] = weakestScore;
                _indices[end] = weakestIndex;
            }
            return Count;
        }

        private readonly void SiftDown(int at, int count, float score, int index)
        {
            while (true)
            {
                var child = (2 * at) + 1;
                if (child >= count)
                {
                    break;
                }
                if (child + 1 < count && Weaker(_scores[child + 1], _indices[child + 1], _scores[child], _indices[child]))
                {
                    child++;
                }
                if (!Weaker(_scores[child], _indices[child], score, index))
                {
                    break;
                }
                _scores[at] = _scores[child];
                _indices[at] = _indices[child];
                at = child;
            }
            _scores[at] = score;
            _indices[at] = index;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Weaker(float score, int index, float otherScore, int otherIndex)
            => score < otherScore || (score == otherScore && index > otherIndex);
    }
}
