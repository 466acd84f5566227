namespace DestinyDsl.Runtime.Evaluation;

/// <summary>
/// Ranking quality averaged over the users that have held-out items (see <see cref="RankingMetrics.Compute"/> for
/// the exact definitions). All three are NaN when no user was evaluated.
/// </summary>
/// <param name="PrecisionAtK">Mean of hits / k.</param>
/// <param name="RecallAtK">Mean of hits / |held out| (the usual recommender-systems recall).</param>
/// <param name="NdcgAtK">Mean NDCG@k with binary relevance and log2 discount.</param>
/// <param name="UsersEvaluated">Rows with at least one held-out item.</param>
public sealed record RankingScores(double PrecisionAtK, double RecallAtK, double NdcgAtK, int UsersEvaluated);
