using DestinyDsl.Runtime.Data;

namespace DestinyDsl.Runtime.Training;

/// <summary>
/// A ranking check after every epoch: for each row of <paramref name="Inputs"/> the model recommends
/// <paramref name="K"/> items it has not seen (the row's input items are excluded), and precision@K against the row's
/// <paramref name="HeldOut"/> items is reported as <see cref="EpochSummary.ValidationPrecision"/>. Rows without
/// held-out items are skipped, as in <c>Model.Evaluate</c>.
/// </summary>
/// <param name="Inputs">The validation rows with their held-out items removed (never trained on).</param>
/// <param name="HeldOut">The items removed from them: one row per input row, as wide as the output layer.</param>
/// <param name="K">How many items to recommend.</param>
public sealed record RankingValidation(NetworkData Inputs, SparseMatrix HeldOut, int K = 10);
