using System.Runtime.CompilerServices;

// ILGPU emits each kernel's launcher into a dynamic assembly named "ILGPURuntime"; internal kernel parameter types
// (GemmArgs) are only accessible from it with this attribute ("Access is denied: 'GemmArgs'" otherwise).
[assembly: InternalsVisibleTo("ILGPURuntime")]
