using System.Runtime.CompilerServices;
using DestinyDsl.Runtime.Kernels.Buffers;
using DestinyDsl.Runtime.Kernels.Simd;
using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>Picks the register width, plans the product, packs what is shared and runs the work items.</summary>
internal static unsafe class GemmExecutor
{
    /// <summary>Rows of the C tile for a width: 12 with AVX-512's 32 registers, 6 with 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TileRows<TV>() where TV : struct, ISimd<TV> => TV.Count == 16 ? 12 : 6;

    /// <summary>Runs op(A)·op(B) into C (or, with <paramref name="c"/> null, into the epilogue as a sink).</summary>
    public static void Run<TEpilogue>(in GemmOperands operands, int m, int n, int k, float* c, nint ldc, bool accumulate, in TEpilogue epilogue, bool toSink)
        where TEpilogue : struct, IGemmEpilogue
    {
        switch (SimdWidth.Current)
        {
            case 512:
                Run<Simd512, TEpilogue>(operands, m, n, k, c, ldc, accumulate, epilogue, toSink);
                break;
            case 256:
                Run<Simd256, TEpilogue>(operands, m, n, k, c, ldc, accumulate, epilogue, toSink);
                break;
            case 128:
                Run<Simd128, TEpilogue>(operands, m, n, k, c, ldc, accumulate, epilogue, toSink);
                break;
            default:
                Run<Scalar, TEpilogue>(operands, m, n, k, c, ldc, accumulate, epilogue, toSink);
                break;
        }
    }

    private static void Run<TV, TEpilogue>(in GemmOperands operands, int m, int n, int k, float* c, nint ldc, bool accumulate, in TEpilogue epilogue, bool toSink)
        where TV : struct, ISimd<TV>
        where TEpilogue : struct, IGemmEpilogue
    {
        var plan = GemmPlan.Create(m, n, k, TileRows<TV>(), 2 * TV.Count, KernelThreads.ForCurrentThread, toSink);
        KernelArena? shared = null;
        try
        {
            var prepack = new GemmPrepack { Plan = plan, Operands = operands };
            if (plan.PrepackA || plan.PrepackB)
            {
                shared = KernelArena.RentForCall();
                if (plan.PrepackA)
                {
                    prepack.PackedA = shared.Get(0, (long)GemmPlan.RoundUp(m, plan.MR) * k);
                }
                if (plan.PrepackB)
                {
                    prepack.PackedB = shared.Get(1, (long)GemmPlan.RoundUp(n, plan.NR) * k);
                }
                KernelPool.For(prepack.Items, plan.Threads, prepack);
            }

            var items = new GemmItems<TV, TEpilogue>
            {
                Plan = plan,
                Operands = operands,
                PackedA = prepack.PackedA,
                PackedB = prepack.PackedB,
                C = toSink ? null : c,
                Ldc = ldc,
                Accumulate = accumulate,
                Epilogue = epilogue,
            };
            KernelPool.For(plan.Items, plan.Threads, items);
        }
        finally
        {
            shared?.Return();
        }
    }
}
