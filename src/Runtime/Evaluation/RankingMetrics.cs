using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Evaluation;

/// <summary>Precision, recall and NDCG at k of ranked recommendations against held-out items.</summary>
public static class RankingMetrics
{
    /// <summary>
    /// Scores <paramref name="recommendations"/> (row r's ranked columns, best first) against
    /// <paramref name="heldOut"/>. Rows without held-out items are skipped; for every other row u, with H its held-out
    /// columns, R its first k recommendations (fewer when the list is shorter) and hits = |R ∩ H|:
    /// precision = hits / k; recall = hits / |H|;
    /// NDCG = DCG / IDCG with DCG = Σ_{i ∈ R ∩ H} 1 / log2(1 + position_i) (positions from 1) and
    /// IDCG = Σ_{p = 1}^{min(k, |H|)} 1 / log2(1 + p). The scores are the means over those rows.
    /// </summary>
    /// <exception cref="ArgumentException">The list count differs from heldOut.Rows, a list that is scored is
    /// null, repeats a column, or has a column outside the matrix.</exception>
    public static RankingScores Compute(IReadOnlyList<int[]> recommendations, SparseMatrix heldOut, int k)
    {
        ArgumentNullException.ThrowIfNull(recommendations);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (recommendations.Count != heldOut.Rows)
            throw new ArgumentException($"{recommendations.Count} recommendation lists for a held-out matrix of {heldOut.Rows} rows; give one list per row.", nameof(recommendations));

        var idealGain = new double[k + 1];                  // idealGain[m] = Σ_{p=1..m} 1/log2(1+p)
        for (var p = 1; p <= k; p++) idealGain[p] = idealGain[p - 1] + Discount(p);

        double precision = 0, recall = 0, ndcg = 0;
        var users = 0;
        var seen = new HashSet<int>();
        for (var row = 0; row < heldOut.Rows; row++)
        {
            var held = heldOut.RowIndices(row);
            if (held.IsEmpty) continue;
            var ranked = recommendations[row] ?? throw new ArgumentException($"Recommendations for row {row} are null but the row has held-out items.", nameof(recommendations));

            var hits = 0;
            var dcg = 0.0;
            var count = Math.Min(k, ranked.Length);
            seen.Clear();
            for (var position = 1; position <= count; position++)
            {
                var column = ranked[position - 1];
                if ((uint)column >= (uint)heldOut.Columns)
                    throw new ArgumentException($"Row {row}: recommended column {column} is outside [0, {heldOut.Columns}).", nameof(recommendations));
                if (!seen.Add(column))
                    throw new ArgumentException($"Row {row}: column {column} is recommended twice.", nameof(recommendations));
                if (held.BinarySearch(column) >= 0)
                {
                    hits++;
                    dcg += Discount(position);
                }
            }

            precision += (double)hits / k;
            recall += (double)hits / held.Length;
            ndcg += dcg / idealGain[Math.Min(k, held.Length)];
            users++;
        }

        return users == 0
            ? new RankingScores(double.NaN, double.NaN, double.NaN, 0)
            : new RankingScores(precision / users, recall / users, ndcg / users, users);
    }

    private static double Discount(int position) => 1 / Math.Log2(1 + position);
}
