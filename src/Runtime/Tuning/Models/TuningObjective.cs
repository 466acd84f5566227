namespace DestinyDsl.Runtime.Tuning.Models;

/// <summary>What a model tuner scores each trial by, after every epoch, on the validation split.</summary>
public enum TuningObjective
{
    /// <summary>
    /// Precision@k (maximised) of the output's top-k against items held out of the training rows: each row's inputs
    /// lose a share of their items, the model trains on what is left and is asked to recommend the missing ones —
    /// the evaluation protocol of the test split, one level down.
    /// </summary>
    PrecisionAtK,

    /// <summary>Mean loss per example (minimised) of validation rows (users) held out of training entirely.</summary>
    Loss,
}
