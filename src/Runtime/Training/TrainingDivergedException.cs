namespace DestinyDsl.Runtime.Training;

/// <summary>
/// Training produced a NaN or infinite value. The message names the first layer (in forward order) whose values
/// are not finite, the step, the epoch and the batch, so the cause can be found (learning rate too high, a bad
/// input value, an activation that overflowed).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(string message, string layer, long step, long epoch, int batch)
        : base(message)
    {
        Layer = layer;
        Step = step;
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The first layer with non-finite values ("loss" when only the loss was).</summary>
    public string Layer { get; }

    /// <summary>Global step at which it happened (0-based).</summary>
    public long Step { get; }

    /// <summary>Epoch (0-based, counted since the model was created).</summary>
    public long Epoch { get; }

    /// <summary>Mini-batch within the epoch (0-based).</summary>
    public int Batch { get; }
}
