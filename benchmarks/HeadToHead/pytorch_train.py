#!/usr/bin/env python3
"""PyTorch CPU side of the head-to-head benchmark: trains DSSTNE's benchmark network on the same data
file the .NET side reads, for a fixed number of steps, and prints one JSON line with the timings.

Network: sparse input N -> 1024 -> 1024 -> 1024 -> N, sigmoid everywhere, scaled marginal cross entropy
(targets = inputs, one_target 1, zero_target 0, scales 1), RMSProp, batch 256.

Input layer formulations:
  embeddingbag  nn.EmbeddingBag(mode="sum") over the non-zero columns: PyTorch's best sparse formulation
  dense         the batch densified and fed to nn.Linear: what most PyTorch autoencoder code does
"""
import argparse
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def read_csr(path):
    """Reads the harness's CSR file: magic, rows, cols, nnz, int64 offsets[rows+1], int32 indices[nnz]."""
    with open(path, "rb") as f:
        magic = f.read(8)
        if magic != b"DDCSR001":
            sys.exit(f"{path}: not a DestinyDsl CSR file (magic {magic!r})")
        rows, cols, nnz = struct.unpack("<iiq", f.read(16))
        offsets = np.fromfile(f, dtype="<i8", count=rows + 1)
        indices = np.fromfile(f, dtype="<i4", count=nnz)
    if len(offsets) != rows + 1 or len(indices) != nnz:
        sys.exit(f"{path}: truncated")
    return rows, cols, offsets, indices


class Autoencoder(nn.Module):
    def __init__(self, width, hidden, layers, input_mode):
        super().__init__()
        self.input_mode = input_mode
        if input_mode == "embeddingbag":
            self.embed = nn.EmbeddingBag(width, hidden, mode="sum")
            self.embed_bias = nn.Parameter(torch.zeros(hidden))
        else:
            self.first = nn.Linear(width, hidden)
        self.hidden = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(layers - 1)])
        self.out = nn.Linear(hidden, width)

    def forward(self, flat_indices, bag_offsets, dense):
        if self.input_mode == "embeddingbag":
            h = torch.sigmoid(self.embed(flat_indices, bag_offsets) + self.embed_bias)
        else:
            h = torch.sigmoid(self.first(dense))
        for layer in self.hidden:
            h = torch.sigmoid(layer(h))
        return torch.sigmoid(self.out(h))


def smce(a, t, one_target=1.0, zero_target=0.0, one_scale=1.0, zero_scale=1.0):
    """DSSTNE's scaled marginal cross entropy, summed over outputs, mean over the batch."""
    eps = 1e-7
    a = a.clamp(eps, 1 - eps)
    pos = -one_scale * t * torch.log(a) * (a < one_target).float()
    neg = -zero_scale * (1 - t) * torch.log(1 - a) * (a > zero_target).float()
    return (pos + neg).sum() / a.shape[0]


def loaded_blas():
    """The BLAS library this process really loaded (Debian's alternatives may point at the slow reference BLAS)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return sorted(paths)
    except OSError:
        return []


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--input", choices=["embeddingbag", "dense"], default="embeddingbag")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(12134)
    rows, cols, offsets, indices = read_csr(args.data)
    model = Autoencoder(cols, args.hidden, args.layers, args.input)
    opt = torch.optim.RMSprop(model.parameters(), lr=args.lr, alpha=0.9, eps=1e-8)

    step_seconds, losses = [], []
    total = args.warmup + args.steps
    for step in range(total):
        r0 = (step * args.batch) % max(1, rows - args.batch + 1)
        lo, hi = offsets[r0], offsets[r0 + args.batch]
        flat = torch.from_numpy(indices[lo:hi].astype(np.int64))
        bag = torch.from_numpy((offsets[r0:r0 + args.batch] - lo).astype(np.int64))
        start = time.perf_counter()
        target = torch.zeros(args.batch, cols)
        row_ids = torch.repeat_interleave(torch.arange(args.batch), torch.from_numpy(np.diff(offsets[r0:r0 + args.batch + 1])))
        target[row_ids, flat] = 1.0
        opt.zero_grad(set_to_none=True)
        out = model(flat, bag, target)
        loss = smce(out, target)
        loss.backward()
        opt.step()
        elapsed = time.perf_counter() - start
        if step >= args.warmup:
            step_seconds.append(elapsed)
            losses.append(float(loss))

    mean = sum(step_seconds) / len(step_seconds)
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}",
        "input": args.input,
        "threads": torch.get_num_threads(),
        "steps": args.steps,
        "batch": args.batch,
        "step_seconds_mean": mean,
        "samples_per_second": args.batch / mean,
        "losses": losses,
        "blas": loaded_blas(),
    }))


if __name__ == "__main__":
    main()
