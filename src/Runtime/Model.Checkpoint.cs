using System.Globalization;
using DestinyDsl.Runtime.Checkpoints;
using DestinyDsl.Runtime.Checkpoints.Safetensors;
using DestinyDsl.Runtime.Engine;

namespace DestinyDsl.Runtime;

public abstract partial class Model
{
    /// <summary>
    /// Writes a safetensors checkpoint atomically (temporary file, then rename): weights in <c>nn.Linear</c> layout,
    /// biases, optimizer state, and metadata (network name and hash, optimizer, step, epoch, seed, the spec as JSON).
    /// Under MPI every rank must call it (the shards' blocks are gathered); rank 0 of the group writes the file.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDisposed();
        var stateCount = Kernels.Update.StateCount;
        var layout = CheckpointLayout.Of(_plan, stateCount);
        var tensors = new List<TensorData>(layout.Count);
        foreach (var t in layout)
        {
            var data = t.Edge >= 0 ? Transpose(ParameterTransfer.GatherEdge(_engines, t.Edge, t.Part), (int)t.Shape[1], (int)t.Shape[0]) : ParameterTransfer.GatherBias(_engines, t.Layer, t.Part);
            tensors.Add(TensorData.F32(t.Name, t.Shape, data));
        }
        if (_engines[0].Rank != 0) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        SafetensorsFile.Write(path, tensors, CheckpointMetadata.Create(Spec, stateCount, _position.Step, _position.Epoch, _position.BatchInEpoch));
    }

    /// <summary>
    /// Loads a checkpoint written by <see cref="Save"/>. Everything is validated before the model changes: the file's
    /// format, the network's name and hash, the optimizer, and every tensor's name, dtype and shape. Training then
    /// continues exactly where the saved model stopped (same options assumed). Under MPI every rank reads the file.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid checkpoint of this network; the message says what and where.</exception>
    public void Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDisposed();
        using var reader = SafetensorsFile.Open(path);
        var stateCount = Kernels.Update.StateCount;
        var layout = CheckpointLayout.Of(_plan, stateCount);
        var position = Validate(reader, layout, stateCount);
        // Read everything first: a failure half-way must not leave the model half-loaded.
        var values = layout.Select(t =>
        {
            var data = new float[t.Shape.Aggregate(1L, (a, b) => a * b)];
            reader.Read(t.Name, data);
            return data;
        }).ToArray();
        for (var i = 0; i < layout.Count; i++)
        {
            var t = layout[i];
            if (t.Edge >= 0) ParameterTransfer.ScatterEdge(_engines, t.Edge, Transpose(values[i], (int)t.Shape[0], (int)t.Shape[1]), t.Part);
            else ParameterTransfer.ScatterBias(_engines, t.Layer, values[i], t.Part);
        }
        _position = position;
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
        if (Required(CheckpointMetadata.HashKey) != Spec.SourceHash)
            throw new CheckpointFormatException(reader.Path, null, $"the checkpoint was written by a different definition of '{Spec.Name}' (network hash {m[CheckpointMetadata.HashKey]}, this build has {Spec.SourceHash}).");
        if (Required(CheckpointMetadata.OptimizerKey) != Spec.Optimizer.Kind.ToString() || Number(CheckpointMetadata.StateCountKey) != stateCount)
            throw new CheckpointFormatException(reader.Path, null, $"the checkpoint holds {m[CheckpointMetadata.OptimizerKey]} state ({m[CheckpointMetadata.StateCountKey]} tensors per parameter), the model uses {Spec.Optimizer.Kind} ({stateCount}).");
        var expected = layout.ToDictionary(t => t.Name);
        foreach (var info in reader.Tensors)
        {
            if (!expected.TryGetValue(info.Name, out var t)) throw new CheckpointFormatException(reader.Path, info.Name, $"'{Spec.Name}' has no such tensor.");
            if (info.Dtype != SafetensorsDtype.F32) throw new CheckpointFormatException(reader.Path, info.Name, $"dtype is {info.Dtype.FileName()}, expected F32.");
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
