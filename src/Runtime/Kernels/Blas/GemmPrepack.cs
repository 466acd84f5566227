using DestinyDsl.Runtime.Kernels.Threading;

namespace DestinyDsl.Runtime.Kernels.Blas;

/// <summary>
/// Packs the operands a plan shares (all of k at once) before the work items run: items [0, strips) are MR-row
/// strips of A, the rest groups of NR-column slivers of B.
/// </summary>
internal unsafe struct GemmPrepack : IParallelWork
{
    private const int SliversPerItem = 8;

    public GemmPlan Plan;
    public GemmOperands Operands;
    public float* PackedA;
    public float* PackedB;

    public readonly int StripItems => PackedA == null ? 0 : GemmPlan.DivideUp(Plan.M, Plan.MR);

    public readonly int Items => StripItems + (PackedB == null ? 0 : GemmPlan.DivideUp(GemmPlan.DivideUp(Plan.N, Plan.NR), SliversPerItem));

    public readonly void Run(int item)
    {
        var plan = Plan;
        if (item < StripItems)
        {
            var row = item * plan.MR;
            Operands.PackA(row, Math.Min(plan.M, row + plan.MR), plan.MR, 0, plan.K, PackedA + ((nint)item * plan.MR * plan.K), 0);
        }
        else
        {
            var first = (item - StripItems) * SliversPerItem;
            var column = first * plan.NR;
            var end = Math.Min(plan.N, column + (SliversPerItem * plan.NR));
            var stride = (nint)plan.NR * plan.K;
            Operands.PackB(column, end, plan.NR, 0, plan.K, PackedB + (first * stride), stride);
        }
    }
}
