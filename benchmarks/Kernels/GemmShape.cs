namespace DestinyDsl.Benchmarks.Kernels;

/// <summary>
/// One product of DSSTNE's benchmark network (27278 → 1024 → 1024 → 1024 → 27278, batch 256; activations
/// [batch][units], weights W[in][out]).
/// </summary>
public sealed record GemmShape(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    /// <summary>The three products of a layer from <paramref name="inputs"/> to <paramref name="outputs"/> units.</summary>
    public static IEnumerable<GemmShape> Layer(string layer, int batch, int inputs, int outputs) =>
    [
        new($"{layer} forward", false, false, batch, outputs, inputs),        // z = a·W
        new($"{layer} input delta", false, true, batch, inputs, outputs),     // δa = δz·Wᵀ
        new($"{layer} weight grad", true, false, inputs, outputs, batch),     // dW = aᵀ·δz
    ];

    /// <summary>The output layer's and a hidden layer's products.</summary>
    public static IEnumerable<GemmShape> Network => Layer("output", 256, 1024, 27278).Concat(Layer("hidden", 256, 1024, 1024));

    public double Flops => 2.0 * M * N * K;

    // Stored shapes of A and B for these flags.
    public int ARows => TransposeA ? K : M;

    public int ACols => TransposeA ? M : K;

    public int BRows => TransposeB ? N : K;

    public int BCols => TransposeB ? K : N;

    public override string ToString() => $"{Name} {M}x{N}x{K} {(TransposeA ? 'T' : 'N')}{(TransposeB ? 'T' : 'N')}";
}
