using DestinyDsl.Runtime.Engine.Devices;
using DestinyDsl.Runtime.Kernels.Fusion;

namespace DestinyDsl.Runtime.Engine;

/// <summary>
/// Tied edges (docs/semantics.md, Tied weights). A tied edge b → L owns no parameters: it multiplies by its owner
/// a → b's block O transposed, and its split mirrors the owner's, so O (rows of a × columns of b on this shard) is
/// exactly the transposed block the tied use needs. Both uses must see the old weights and the optimizer must run
/// once on the summed gradient, while everywhere else the gradient goes straight into the optimizer: so the tied
/// use's gradient, transposed into O's layout, is written into a per-owner gradient buffer when the tied edge is
/// back-propagated (it comes first in reverse order), the owner's own gradient is added when the owner is reached,
/// and one update is applied from the buffer (<see cref="IShardDevice.UpdateFromGradient"/>).
/// </summary>
internal sealed partial class ShardSchedule
{
    private float[] _denseInputRows = Array.Empty<float>();

    /// <summary>Per owner edge of a tie: the summed gradient of its block, in the block's layout; null for other edges.</summary>
    private DeviceTensor?[] CreateTiedGradients() =>
        _plan.Edges.Select(e => _plan.TiedUserOf(e.Index) >= 0 ? _device.Allocate(_weights[e.Index].Count) : null).ToArray();

    /// <summary>The tied edge's view of its owner's block: the same tensors, rows and columns swapped.</summary>
    private static EdgeWeights TiedView(EdgePlan tied, EdgeWeights owner)
        => new(tied, owner.ColumnStart, owner.Columns, owner.RowStart, owner.Rows, owner.Parameters);

    /// <summary>
    /// Forward of a tied edge into columns [<paramref name="columnStart"/>, +<paramref name="n"/>) of the layer:
    /// <c>z[batch][n] (+)= x[batch][k] · Oᵀ</c>, O = the owner's block [layer units][k] (its rows are the layer's units).
    /// </summary>
    private void TiedForward(EdgeWeights view, DeviceTensor input, int batch, int columnStart, int n, bool accumulate, DeviceTensor z, long zOffset, int ldz)
    {
        var k = view.Rows; // the owner's columns: the tied edge's input units on this shard
        if (n == 0) return;
        if (k == 0)
        {
            if (!accumulate) ClearRows(z, zOffset, batch, n, ldz);
            return;
        }
        _device.Multiply(false, true, batch, n, k, input, 0, k, view.Values, (long)columnStart * k, k, accumulate, z, zOffset, ldz);
    }

    private void ClearRows(DeviceTensor z, long offset, int batch, int n, int ldz)
    {
        if (ldz == n) { _device.Clear(z, offset, (long)batch * n); return; }
        for (var b = 0; b < batch; b++) _device.Clear(z, offset + ((long)b * ldz), n);
    }

    /// <summary>
    /// The tied use's weight gradient in the owner's layout: <c>G[u][k] = Σ_b δ[b][u] · x[b][k]</c> (the transpose of
    /// the untied <c>xᵀ·δ</c>), written (not added) into the owner's gradient buffer.
    /// </summary>
    private void TiedGradient(EdgeWeights view, DeviceTensor delta, int ldDelta, DeviceTensor input, int batch)
    {
        var units = view.Columns;
        var k = view.Rows;
        if ((long)units * k == 0) return;
        _device.Multiply(true, false, units, k, batch, delta, 0, ldDelta, input, 0, k, false, _tiedGradients[view.Edge.Owner]!, 0, k);
    }

    /// <summary>
    /// Back-propagates a tied edge b → L with the old weights: b's delta (δ·O, reduce-scattered when the edge is split
    /// by L's columns) and the tied gradient into the owner's buffer. No update here: the owner applies it.
    /// </summary>
    private void TiedBackward(int layer, EdgePlan edge, EdgeWeights view, int n, int batch)
    {
        var source = edge.Source;
        var needsInputDelta = _plan.NeedsDelta(source);
        var k = view.Rows;
        if (_shards == 1 || edge.Split == EdgeSplit.ByInputRows)
        {
            // O holds every unit of L: δ_b[batch][k] (+)= δ_L[batch][L] · O[L][k].
            var full = FullDeltas(layer);
            var width = _plan.Layer(layer).Width;
            if (needsInputDelta && k > 0)
            {
                _device.Multiply(false, false, batch, k, width, full, 0, width, view.Values, 0, k, _deltaWritten[source], _deltas[source], 0, k);
                _deltaWritten[source] = true;
            }
            TiedGradient(view, full, width, _activations[source], batch);
            return;
        }
        // O holds this shard's n units of L and every unit of b: each shard's part of δ_b, then reduce-scattered.
        var input = FullActivations(source);
        if (needsInputDelta) ReduceScatterInputDelta(source, _deltas[layer], n, batch, view.Values, transposeWeights: false, weightsLeading: k);
        TiedGradient(view, _deltas[layer], n, input, batch);
    }

    /// <summary>
    /// The owner's own gradient <c>xᵀ·δ</c> added to the tied use's, then one optimizer step from the sum. A sparse
    /// input's rows are written densely first: the tied use touches every row, so the owner's update is dense.
    /// </summary>
    private void OwnerUpdate(EdgeWeights w, int source, DeviceTensor delta, int ldDelta, int columns, DeviceTensor? denseInput, int batch, UpdateContext weights)
    {
        var g = _tiedGradients[w.Edge.Index]!;
        var count = (long)w.Rows * columns;
        if (count == 0) return;
        var input = denseInput ?? DenseSparseInput(source, batch, w.Rows);
        _device.Multiply(true, false, w.Rows, columns, batch, input, 0, w.Rows, delta, 0, ldDelta, true, g, 0, columns);
        _device.UpdateFromGradient(g, count, w.Parameters, weights);
    }

    /// <summary>The batch's (denoised) sparse rows of an input on this shard, as a dense [batch][rows] tensor on the device.</summary>
    private DeviceTensor DenseSparseInput(int layer, int batch, int rows)
    {
        var csr = _sparseInputs[layer]!;
        var size = batch * rows;
        if (_denseSparse is null || _denseSparse.Length < size) _denseSparse = _device.Allocate(size);
        var host = WriteOnHost(_denseSparse, size, ref _denseInputRows);
        host.Clear();
        for (var b = 0; b < batch; b++)
        {
            for (var p = csr.Offsets[b]; p < csr.Offsets[b + 1]; p++) host[(b * rows) + csr.Columns[p]] += csr.Values?[p] ?? 1f;
        }
        FinishWrite(_denseSparse, host);
        return _denseSparse;
    }
}
