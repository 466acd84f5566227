using ILGPU;

namespace DestinyDsl.Runtime.Gpu.Kernels.Library;

/// <summary>
/// Top-k of each row of a [rows][n] score buffer on the device: one group per row, k rounds, each a group-wide
/// argmax over the scores that come strictly after the previous pick in the order (score descending, column
/// ascending) and are not excluded. That order is total over non-NaN scores, so no list of picks is kept and the
/// result equals the CPU's <see cref="Runtime.Kernels.TopK"/>: descending, ties by the lower column, NaN never picked.
/// </summary>
/// <remarks>k rounds of n/group reads each: for recommendation rows (k ≈ 10, n ≈ 30k) cheaper than sorting and far
/// cheaper than copying the scores to the host.</remarks>
internal static class TopKKernel
{
    /// <summary>Explicitly grouped; grid = rows, group = a power of two ≤ <see cref="GroupReduce.MaxGroupSize"/>.</summary>
    public static void Select(ArrayView<float> scores, int n, int k, SparseArgs exclude, int hasExclude, ArrayView<int> indices, ArrayView<float> values, ArrayView<int> counts)
    {
        var row = Grid.IdxX;
        var t = Group.IdxX;
        var bestScores = SharedMemory.Allocate<float>(GroupReduce.MaxGroupSize);
        var bestColumns = SharedMemory.Allocate<int>(GroupReduce.MaxGroupSize);
        var previousScore = float.PositiveInfinity;
        var previousColumn = -1;
        var found = 0;
        for (var round = 0; round < k; round++)
        {
            var best = 0f;
            var bestColumn = -1;
            for (var j = t; j < n; j += Group.DimX)
            {
                var v = scores[(row * n) + j];
                if (float.IsNaN(v)) continue;
                if (!(v < previousScore || (v == previousScore && j > previousColumn))) continue;   // already picked
                if (bestColumn >= 0 && !(v > best)) continue;                                       // columns ascend: a tie keeps the first
                if (hasExclude != 0 && Contains(exclude, row, j)) continue;
                best = v;
                bestColumn = j;
            }
            bestScores[t] = best;
            bestColumns[t] = bestColumn;
            Group.Barrier();
            for (var width = Group.DimX / 2; width > 0; width >>= 1)
            {
                if (t < width && Before(bestScores[t + width], bestColumns[t + width], bestScores[t], bestColumns[t]))
                {
                    bestScores[t] = bestScores[t + width];
                    bestColumns[t] = bestColumns[t + width];
                }
                Group.Barrier();
            }
            var column = bestColumns[0];
            var score = bestScores[0];
            Group.Barrier();   // everyone has read the winner before the next round overwrites it
            if (column < 0) break;
            if (t == 0)
            {
                indices[(row * k) + round] = column;
                values[(row * k) + round] = score;
            }
            previousScore = score;
            previousColumn = column;
            found++;
        }
        if (t == 0) counts[row] = found;
    }

    /// <summary>True when candidate (score, column) comes before (otherScore, otherColumn); a missing candidate (column −1) never does.</summary>
    private static bool Before(float score, int column, float otherScore, int otherColumn)
        => column >= 0 && (otherColumn < 0 || score > otherScore || (score == otherScore && column < otherColumn));

    /// <summary>Binary search of the row's excluded (ascending) columns.</summary>
    private static bool Contains(SparseArgs exclude, int row, int column)
    {
        var lo = exclude.Offsets[row];
        var hi = exclude.Offsets[row + 1];
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            var c = exclude.Columns[mid];
            if (c == column) return true;
            if (c < column) lo = mid + 1; else hi = mid;
        }
        return false;
    }
}
