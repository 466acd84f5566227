namespace DestinyDsl.Language;

/// <summary>"Did you mean" suggestions by edit distance (optimal string alignment: insertions, deletions,
/// substitutions and swaps of neighbours).</summary>
/// <remarks>
/// Cost is bounded so that pathological files stay linear: names longer than <see cref="MaxLength"/> get no
/// suggestion, candidates whose length differs by more than the allowed distance are skipped without work, and
/// an optional <see cref="SuggestionBudget"/> caps the total work of one compilation (every candidate looked at
/// costs, so a file with many unknown names among many layers stays linear; past the budget, no suggestions).
/// </remarks>
internal static class Suggestions
{
    public const int MaxLength = 64;

    /// <summary>The closest candidate within the allowed distance (a case-only difference always qualifies), or null.</summary>
    public static string? Best(string text, IReadOnlyList<string> candidates, SuggestionBudget? budget = null)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return null;
        // Every candidate looked at costs at least one unit, so many unknown names among many layers stay linear.
        if (budget is not null && !budget.TrySpend(2L * candidates.Count)) return null;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase) && candidate != text) return candidate;
        }
        var allowed = text.Length <= 3 ? 1 : text.Length <= 6 ? 2 : 3;
        string? best = null;
        var bestDistance = allowed + 1;
        var rows = new int[3, MaxLength + allowed + 2];
        foreach (var candidate in candidates)
        {
            if (candidate == text || Math.Abs(candidate.Length - text.Length) > allowed) continue;
            if (budget is not null && !budget.TrySpend((long)(text.Length + 1) * (candidate.Length + 1))) return best;
            var distance = Distance(text, candidate, rows);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>"; did you mean 'x'?" (with a note when only the case differs), or empty when there is no guess.</summary>
    public static string Suffix(string text, string? guess, bool keyword = true)
    {
        if (guess is null) return string.Empty;
        var caseOnly = string.Equals(text, guess, StringComparison.OrdinalIgnoreCase);
        var note = !caseOnly ? string.Empty : keyword ? " (keywords and built-in names are lower-case)" : " (names are case-sensitive)";
        return $"; did you mean '{guess}'?{note}";
    }

    /// <summary>Optimal string alignment distance, ignoring case.</summary>
    public static int Distance(string a, string b) => Distance(a, b, new int[3, b.Length + 1]);

    /// <param name="rows">Scratch space: three rows of at least <c>b.Length + 1</c> cells (reused across calls).</param>
    private static int Distance(string a, string b, int[,] rows)
    {
        // Rows rotate: r0 = i - 2, r1 = i - 1, r2 = i.
        int r0 = 0, r1 = 1, r2 = 2;
        for (var j = 0; j <= b.Length; j++) rows[r1, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            rows[r2, 0] = i;
            var ai = char.ToLowerInvariant(a[i - 1]);
            for (var j = 1; j <= b.Length; j++)
            {
                var bj = char.ToLowerInvariant(b[j - 1]);
                var cost = ai == bj ? 0 : 1;
                var value = Math.Min(Math.Min(rows[r1, j] + 1, rows[r2, j - 1] + 1), rows[r1, j - 1] + cost);
                if (i > 1 && j > 1 && ai == char.ToLowerInvariant(b[j - 2]) && char.ToLowerInvariant(a[i - 2]) == bj)
                    value = Math.Min(value, rows[r0, j - 2] + 1);
                rows[r2, j] = value;
            }
            (r0, r1, r2) = (r1, r2, r0);
        }
        return rows[r1, b.Length];
    }
}

/// <summary>Caps the work spent on suggestions in one compilation (character comparisons).</summary>
internal sealed class SuggestionBudget
{
    private long _remaining;

    public SuggestionBudget(long cells) => _remaining = cells;

    public bool TrySpend(long cells)
    {
        if (_remaining < cells) return false;
        _remaining -= cells;
        return true;
    }
}
