namespace DestinyDsl.Runtime.Specs;

// The runtime's own copies of the language's enumerations: the runtime knows nothing of syntax,
// and generated code maps one onto the other by name.

/// <summary>Role of a layer in the network.</summary>
public enum LayerKind { Input, Hidden, Output }

/// <summary>Activation functions.</summary>
public enum ActivationKind { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus, Softsign, Softmax, Linear }

/// <summary>Loss functions.</summary>
public enum LossKind { L1, L2, CrossEntropy, ScaledMarginalCrossEntropy, DataScaledMarginalCrossEntropy, Hinge, L2Hinge }

/// <summary>Optimizers.</summary>
public enum OptimizerKind { Sgd, Momentum, Nesterov, AdaGrad, RmsProp, AdaDelta, Adam }

/// <summary>Weight initialisation schemes.</summary>
public enum InitScheme { Xavier, CaffeXavier, Gaussian, Uniform, UnitBall, LeCun, Constant }

/// <summary>Learning-rate schedules.</summary>
public enum ScheduleKind { Constant, Step, Exponential, InverseTime, Cosine }
