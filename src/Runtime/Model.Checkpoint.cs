using System.Globalization;
using DestinyDsl.Runtime.Checkpoints;
using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Engine;

namespace DestinyDsl.Runtime;

public abstract partial class Model
{
    /// <summary>
    /// Writes a safetensors checkpoint atomically (temporary file, then rename): weights in <c>nn.Linear</c> layout,
    /// biases, optimizer state, and metadata (network name and hash, optimizer, step, epoch, seed, the spec as JSON).
    /// The file does not depend on how the model is split: the same parameters give the same bytes on one device,
    /// on P in-process shards and on P MPI ranks.
    /// </summary>
    /// <remarks>
    /// Under MPI it is collective (every rank of the model's group calls it) and rank 0 of the group is the only
    /// writer: the other ranks send it their own blocks, one tensor at a time (<see cref="ICommunicator.Gather"/>), and
    /// never hold a whole tensor. Then rank 0 tells them whether the write succeeded, so every rank returns, or every
    /// rank throws (rank 0 its own error, the others an <see cref="IOException"/> naming it).
    /// </remarks>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDisposed();
        var stateCount = Kernels.Update.StateCount;
        var layout = CheckpointLayout.Of(_plan, stateCount);
        var writer = ParameterTransfer.IsWriter(_engines);
        var distributed = ParameterTransfer.IsDistributed(_engines);
        var tensors = new List<TensorData>(writer ? layout.Count : 0);
        CollectiveOrFail(() =>
        {
            foreach (var t in layout)
            {
                if (t.IsStepCounter)
                {
                    // No shard holds it: every training step ran each batch norm once in training mode.
                    if (writer) tensors.Add(TensorData.I64(t.Name, t.Shape, new[] { _position.Step }));
                    continue;
                }
                var data = t.Edge >= 0 ? ParameterTransfer.GatherEdgeToWriter(_engines, t.Edge, t.Part) : ParameterTransfer.GatherBiasToWriter(_engines, t.Layer, t.Part, t.Units);
                if (data is null) continue; // not the writer: its blocks went to rank 0
                tensors.Add(TensorData.F32(t.Name, t.Shape, t.Edge >= 0 ? Transpose(data, (int)t.Shape[1], (int)t.Shape[0]) : data));
            }
        });
        Exception? failure = null;
        if (writer)
        {
            try
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (directory is not null) Directory.CreateDirectory(directory);
                SafetensorsFile.Write(path, tensors, CheckpointMetadata.Create(Spec, stateCount, _position.Step, _position.Epoch, _position.BatchInEpoch, CheckpointLayout.Ties(_plan)));
            }
            catch (Exception e) when (distributed)
            {
                failure = e;
            }
        }
        if (distributed) CheckpointAgreement.Agree(_engines[0].Communicator, failure, _position, path, "write");
    }

    /// <summary>
    /// Loads a checkpoint written by <see cref="Save"/>, on any number of devices, shards or ranks (the file does not
    /// depend on how the model that wrote it was split). Everything is validated before the model changes: the file's
    /// format, the network's name and hash, the optimizer, and every tensor's name, dtype and shape. Training then
    /// continues exactly where the saved model stopped (same options assumed).
    /// </summary>
    /// <remarks>
    /// Under MPI it is collective, and only rank 0 of the group opens the file (the others need not see it): rank 0
    /// validates and reads it, tells every rank the outcome (on an error every rank throws it, and no rank changes), then
    /// hands each rank its own blocks of every tensor (<see cref="ICommunicator.Scatter"/>).
    /// </remarks>
    /// <exception cref="CheckpointFormatException">The file is not a valid checkpoint of this network; the message says what and where.</exception>
    public void Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDisposed();
        var stateCount = Kernels.Update.StateCount;
        var layout = CheckpointLayout.Of(_plan, stateCount);
        var writer = ParameterTransfer.IsWriter(_engines);
        var distributed = ParameterTransfer.IsDistributed(_engines);
        float[][]? values = null;
        var position = default(TrainingPosition);
        Exception? failure = null;
        if (writer)
        {
            try
            {
                using var reader = SafetensorsFile.Open(path);
                position = Validate(reader, layout, stateCount);
                // Read everything first: a failure half-way must not leave the model half-loaded.
                values = layout.Select(t =>
                {
                    if (t.IsStepCounter) return Array.Empty<float>();
                    var data = new float[t.Shape.Aggregate(1L, (a, b) => a * b)];
                    reader.Read(t.Name, data);
                    return t.Edge >= 0 ? Transpose(data, (int)t.Shape[0], (int)t.Shape[1]) : data;
                }).ToArray();
            }
            catch (Exception e) when (distributed)
            {
                failure = e;
            }
        }
        if (distributed) position = CheckpointAgreement.Agree(_engines[0].Communicator, failure, position, path, "read");
        CollectiveOrFail(() =>
        {
            for (var i = 0; i < layout.Count; i++)
            {
                var t = layout[i];
                if (t.IsStepCounter) continue;
                if (t.Edge >= 0) ParameterTransfer.ScatterEdgeFromWriter(_engines, t.Edge, values?[i], t.Part);
                else ParameterTransfer.ScatterBiasFromWriter(_engines, t.Layer, values?[i], t.Part, t.Units);
            }
        });
        _position = position;
    }

    /// <summary>
    /// Runs the collective part of a save or load. Under MPI a rank that fails in the middle would leave the others
    /// blocked in the next gather or scatter: it ends the job naming itself instead (<see cref="ShardRunner.Fail"/>).
    /// </summary>
    private void CollectiveOrFail(Action transfers)
    {
        if (!ParameterTransfer.IsDistributed(_engines))
        {
            transfers();
            return;
        }
        try
        {
            transfers();
        }
        catch (Exception e) when (e is not CommunicatorAbortedException)
        {
            throw ShardRunner.Fail(_engines[0].Communicator, e);
        }
    }

    private TrainingPosition Validate(SafetensorsReader reader, IReadOnlyList<CheckpointTensor> layout, int stateCount)
    {
        var m = reader.Metadata;
        string Required(string key) => m.TryGetValue(key, out var v) ? v : throw new CheckpointFormatException(reader.Path, null, $"metadata has no '{key}': not a DestinyDsl checkpoint.");
        long Number(string key) => long.TryParse(Required(key), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CheckpointFormatException(reader.Path, null, $"metadata '{key}' = '{m[key]}' is not a non-negative integer.");
        if (Required(CheckpointMetadata.FormatKey) != CheckpointLayout.Format)
            throw new CheckpointFormatException(reader.Path, null, $"format '{m[CheckpointMetadata.FormatKey]}' is not '{CheckpointLayout.Format}'.");
        if (Required(CheckpointMetadata.NetworkKey) != Spec.Name)
            throw new CheckpointFormatException(reader.Path, null, $"the checkpoint is of network '{m[CheckpointMetadata.NetworkKey]}', not '{Spec.Name}'.");
        // Before the hash: tying or untying edges changes it, and this says how the two definitions differ.
        var ties = CheckpointLayout.Ties(_plan);
        var fileTies = m.TryGetValue(CheckpointMetadata.TiedKey, out var t0) ? t0 : string.Empty;
        if (fileTies != ties)
        {
            throw new CheckpointFormatException(reader.Path, null, fileTies.Length == 0
                ? $"the checkpoint holds untied weights, but '{Spec.Name}' ties {ties}."
                : ties.Length == 0
                    ? $"the checkpoint holds tied weights ({fileTies}), but '{Spec.Name}' has no tied edges."
                    : $"the checkpoint ties {fileTies}, but '{Spec.Name}' ties {ties}.");
        }
        if (Required(CheckpointMetadata.HashKey) != Spec.SourceHash)
            throw new CheckpointFormatException(reader.Path, null, $"the checkpoint was written by a different definition of '{Spec.Name}' (network hash {m[CheckpointMetadata.HashKey]}, this build has {Spec.SourceHash}).");
        if (Required(CheckpointMetadata.OptimizerKey) != Spec.Optimizer.Kind.ToString() || Number(CheckpointMetadata.StateCountKey) != stateCount)
            throw new CheckpointFormatException(reader.Path, null, $"the checkpoint holds {m[CheckpointMetadata.OptimizerKey]} state ({m[CheckpointMetadata.StateCountKey]} tensors per parameter), the model uses {Spec.Optimizer.Kind} ({stateCount}).");
        var expected = layout.ToDictionary(t => t.Name);
        foreach (var info in reader.Tensors)
        {
            if (!expected.TryGetValue(info.Name, out var t)) throw new CheckpointFormatException(reader.Path, info.Name, $"'{Spec.Name}' has no such tensor.");
            var dtype = t.IsStepCounter ? SafetensorsDtype.I64 : SafetensorsDtype.F32;
            if (info.Dtype != dtype) throw new CheckpointFormatException(reader.Path, info.Name, $"dtype is {info.Dtype.FileName()}, expected {dtype.FileName()}.");
            if (!info.Shape.SequenceEqual(t.Shape)) throw new CheckpointFormatException(reader.Path, info.Name, $"shape is {info.ShapeText}, expected [{string.Join(", ", t.Shape)}].");
        }
        var missing = layout.Where(t => !reader.Contains(t.Name)).Select(t => t.Name).ToArray();
        if (missing.Length > 0) throw new CheckpointFormatException(reader.Path, missing[0], $"missing ({missing.Length} of {layout.Count} tensors missing: {string.Join(", ", missing.Take(5))}{(missing.Length > 5 ? ", …" : "")}).");
        var batchInEpoch = Number(CheckpointMetadata.BatchInEpochKey);
        return new TrainingPosition(Number(CheckpointMetadata.StepKey), Number(CheckpointMetadata.EpochKey), (int)Math.Min(batchInEpoch, int.MaxValue));
    }

    /// <summary>[rows][columns] → [columns][rows].</summary>
    private static float[] Transpose(float[] source, int rows, int columns)
    {
        var result = new float[source.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++) result[((long)c * rows) + r] = source[((long)r * columns) + c];
        }
        return result;
    }
}
