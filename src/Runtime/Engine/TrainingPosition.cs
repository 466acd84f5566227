namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Where training stands: steps taken, epochs completed, and batches done in the current epoch. With the seed this
/// is the whole RNG state (every draw is keyed by these counters), so restoring it continues training exactly.
/// </summary>
internal readonly record struct TrainingPosition(long Step, long Epoch, int BatchInEpoch);
