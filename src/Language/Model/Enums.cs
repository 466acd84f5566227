namespace DestinyDsl.Language.Model;

/// <summary>Role of a layer in the network.</summary>
public enum LayerKind { Input, Hidden, Output }

/// <summary>Activation functions (DSSTNE's set plus softsign).</summary>
public enum ActivationKind { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus, Softsign, Softmax, Linear }

/// <summary>Loss functions (DSSTNE's set).</summary>
public enum LossKind { L1, L2, CrossEntropy, ScaledMarginalCrossEntropy, DataScaledMarginalCrossEntropy, Hinge, L2Hinge }

/// <summary>Optimizers (DSSTNE's set).</summary>
public enum OptimizerKind { Sgd, Momentum, Nesterov, AdaGrad, RmsProp, AdaDelta, Adam }

/// <summary>Weight initialisation schemes.</summary>
public enum InitScheme { Xavier, CaffeXavier, Gaussian, Uniform, UnitBall, LeCun, Constant }

/// <summary>Learning-rate schedules (<c>optimizer …(schedule = …)</c>); the formulas are in docs/semantics.md.</summary>
public enum ScheduleKind { Constant, Step, Exponential, InverseTime, Cosine }
