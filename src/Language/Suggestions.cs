namespace DestinyDsl.Language;

/// <summary>"Did you mean" suggestions by edit distance (optimal string alignment: insertions, deletions,
/// substitutions and swaps of neighbours).</summary>
/// <remarks>
/// Cost is bounded so that pathological files stay linear: names longer than <see cref="MaxLength"/> get no
/// suggestion, candidates whose length differs by more than the allowed distance are skipped without work, and
/// an optional <see cref="SuggestionBudget"/> caps the total work of one compilation.
/// </remarks>
internal static class Suggestions
{
    public const int MaxLength = 64;

    /// <summary>The closest candidate within the allowed distance (a case-only difference always qualifies), or null.</summary>
    public static string? Best(string text, IReadOnlyList<string> candidates, SuggestionBudget? budget = null)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return null;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, text, StringComparison.OrdinalIgnoreCase) && candidate != text) return candidate;
        }
        var allowed = text.Length <= 3 ? 1 : text.Length <= 6 ? 2 : 3;
        string? best = null;
        var bestDistance = allowed + 1;
        foreach (var candidate in candidates)
        {
            if (candidate == text || Math.Abs(candidate.Length - text.Length) > allowed || candidate.Length > MaxLength + allowed) continue;
            if (budget is not null && !budget.TrySpend((long)(text.Length + 1) * (candidate.Length + 1))) return best;
            var distance = Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
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

    /// <summary>Optimal string alignment distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
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
