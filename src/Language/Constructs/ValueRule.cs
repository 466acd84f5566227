namespace DestinyDsl.Language.Constructs;

/// <summary>What values a numeric parameter accepts; each rule reports through its own diagnostic id.</summary>
internal enum ValueRule
{
    /// <summary>Any finite number.</summary>
    Any,
    /// <summary>[0, 1): dropout, denoising, momentum, decay, beta1, beta2 (DNET0118).</summary>
    Probability,
    /// <summary>[0, 1]: one_target, zero_target (DNET0118).</summary>
    ClosedProbability,
    /// <summary>(0, 1): the sparseness target p (DNET0119).</summary>
    SparsenessTarget,
    /// <summary>&gt; 0: the learning rate (DNET0120).</summary>
    LearningRate,
    /// <summary>Positive integer: batch, epochs (DNET0121).</summary>
    Count,
    /// <summary>Positive integer: a layer width (DNET0117).</summary>
    Width,
    /// <summary>&gt; 0 (DNET0122).</summary>
    Positive,
    /// <summary>≥ 0 (DNET0122).</summary>
    NonNegative,
    /// <summary>Integer ≥ 0: the seed (DNET0122).</summary>
    NonNegativeInteger,
    /// <summary>(0, 1]: a learning-rate schedule's multiplier (factor, warmup_start) (DNET0122).</summary>
    Factor,
    /// <summary>Integer from 0 to 2³¹ − 1: a number of epochs that may be 0 (warmup) (DNET0122).</summary>
    EpochCount,
}

/// <summary>The kind of value a parameter takes.</summary>
internal enum ParameterType
{
    /// <summary>A number, possibly with a search range.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
    /// <summary>A nested construct such as <c>gaussian(0.01)</c> (init schemes).</summary>
    InitScheme,
    /// <summary>The <c>sparseness_penalty(p, beta)</c> form of a train setting.</summary>
    SparsenessPenalty,
    /// <summary>A learning-rate schedule such as <c>step(every = 10, factor = 0.5)</c> (the optimizer's <c>schedule</c>).</summary>
    Schedule,
}
