using DestinyDsl.Runtime.Distributed;

namespace DestinyDsl.Runtime.Gpu;

/// <summary>
/// GPU device groups, as static members of <see cref="DeviceGroup"/> (C# 14 extensions): <c>DeviceGroup.Gpu()</c>,
/// <c>DeviceGroup.Gpu(0, 2)</c>, <c>DeviceGroup.GpuSimulator(3)</c>, and <c>DeviceGroup.FromMpi().OnGpu()</c> (one
/// GPU per MPI rank: the rank's local rank on its host picks the device). Each layer is split across the group's
/// GPUs exactly as across CPU shards; activations and deltas move through host memory between GPUs and ranks.
/// </summary>
public static class GpuDeviceGroups
{
    extension(DeviceGroup)
    {
        /// <summary>Every CUDA GPU of this host (<paramref name="devices"/> empty) or the ones named, one shard each.</summary>
        /// <exception cref="Native.GpuUnavailableException">No CUDA driver or GPU; the message says what was looked for.</exception>
        public static DeviceGroup Gpu(params int[] devices) => Gpu(GpuOptions.Default, devices);

        /// <summary>As <see cref="Gpu(int[])"/>, with options (TF32 products).</summary>
        public static DeviceGroup Gpu(GpuOptions options, params int[] devices)
        {
            ArgumentNullException.ThrowIfNull(options);
            var ids = devices is { Length: > 0 } ? devices.ToArray() : Enumerable.Range(0, GpuContexts.CudaDevices().Count).ToArray();
            foreach (var id in ids) GpuContexts.CudaDevice(id);   // fail now, with the device named, not at the first model (without opening a context)
            var description = ids.Length == 1 ? $"gpu:{ids[0]}" : $"gpu×{ids.Length} ({string.Join(",", ids)})";
            return DeviceGroup.InProcess(ids.Length, new GpuDeviceFactory(local => GpuContexts.OpenCuda(ids[local]), options), description);
        }

        /// <summary>
        /// <paramref name="shards"/> simulated GPUs: the GPU backend (generated kernels, schedule, staging) on ILGPU's CPU
        /// accelerator. For tests and for debugging a kernel without a GPU; slow (each simulated thread is an OS thread).
        /// </summary>
        public static DeviceGroup GpuSimulator(int shards = 1) => GpuSimulator(GpuOptions.Default, shards);

        /// <summary>As <see cref="GpuSimulator(int)"/>, with options (a device-memory budget to test against).</summary>
        public static DeviceGroup GpuSimulator(GpuOptions options, int shards = 1)
        {
            ArgumentNullException.ThrowIfNull(options);
            return DeviceGroup.InProcess(shards, new GpuDeviceFactory(GpuContexts.OpenSimulator, options), shards == 1 ? "gpu-sim" : $"gpu-sim×{shards}");
        }
    }

    extension(DeviceGroup group)
    {
        /// <summary>
        /// The same shards (e.g. MPI ranks) computing on GPUs: each process's shard takes the GPU of its local rank on
        /// the host (modulo the host's GPU count).
        /// </summary>
        public DeviceGroup OnGpu(GpuOptions? options = null)
        {
            var count = GpuContexts.CudaDevices().Count;
            var id = group.LocalRank % count;
            return group.WithDevices(new GpuDeviceFactory(_ => GpuContexts.OpenCuda(id), options ?? GpuOptions.Default), $"{group.Description} on gpu:{id}");
        }
    }
}
