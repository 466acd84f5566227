#!/usr/bin/env python3
"""PyTorch side of the GPU benchmark: DSSTNE's benchmark network trained on the same GPU, on the same CSR file the
.NET side wrote (DestinyDsl.Benchmarks.Gpu bench --data FILE), for a fixed number of steps, in four configurations:
eager and torch.compile, each with FP32 and with TF32 products. Prints one JSON line per configuration.

Network and training as benchmarks/HeadToHead/pytorch_train.py (its best input formulation, embeddingbag):
sparse input N -> 1024 -> 1024 -> 1024 -> N, sigmoid everywhere, DSSTNE's scaled marginal cross entropy (targets =
inputs, one_target 1, zero_target 0, scales 1: the clamped binary cross entropy summed over outputs, mean over the
batch), RMSProp (lr 0.01, alpha 0.9), batch 256, rows in file order.

Timing: the timed region of each step holds what the .NET step does: the batch's indices to the device (from pinned
host memory), the dense 0/1 targets built on the device, forward, loss, backward, optimizer step. There is no
synchronisation inside the loop (the losses stay on the device); one synchronisation ends the timed steps. The .NET
side reads every step's loss back (one synchronisation a step): the comparison favours PyTorch slightly.

Smoke test without a GPU: python3 pytorch_gpu.py --data file.csr --device cpu --steps 2 --warmup 1
"""
import argparse
import json
import struct
import sys
import time
import traceback

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
    """pytorch_train.py's network with its embeddingbag input."""

    def __init__(self, width, hidden, layers):
        super().__init__()
        self.embed = nn.EmbeddingBag(width, hidden, mode="sum")
        self.embed_bias = nn.Parameter(torch.zeros(hidden))
        self.hidden = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(layers - 1)])
        self.out = nn.Linear(hidden, width)

    def forward(self, flat_indices, bag_offsets):
        h = torch.sigmoid(self.embed(flat_indices, bag_offsets) + self.embed_bias)
        for layer in self.hidden:
            h = torch.sigmoid(layer(h))
        return torch.sigmoid(self.out(h))


def smce(a, t, one_target=1.0, zero_target=0.0, one_scale=1.0, zero_scale=1.0):
    """DSSTNE's scaled marginal cross entropy, summed over outputs, mean over the batch (as pytorch_train.py)."""
    eps = 1e-7
    a = a.clamp(eps, 1 - eps)
    pos = -one_scale * t * torch.log(a) * (a < one_target).float()
    neg = -zero_scale * (1 - t) * torch.log(1 - a) * (a > zero_target).float()
    return (pos + neg).sum() / a.shape[0]


def host_batches(rows, offsets, indices, batch, count, pin):
    """The batches of steps 0..count-1 (rows in file order, wrapping), as host tensors: flat column ids, bag offsets
    and each non-zero's row (for building the dense targets on the device)."""
    batches = []
    for step in range(count):
        r0 = (step * batch) % max(1, rows - batch + 1)
        lo, hi = offsets[r0], offsets[r0 + batch]
        flat = torch.from_numpy(indices[lo:hi].astype(np.int64))
        bag = torch.from_numpy((offsets[r0:r0 + batch] - lo).astype(np.int64))
        row_ids = torch.repeat_interleave(torch.arange(batch), torch.from_numpy(np.diff(offsets[r0:r0 + batch + 1])))
        if pin:
            flat, bag, row_ids = flat.pin_memory(), bag.pin_memory(), row_ids.pin_memory()
        batches.append((flat, bag, row_ids))
    return batches


def set_precision(precision):
    tf32 = precision == "tf32"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32


def run(args, mode, precision, data, device):
    rows, cols, offsets, indices = data
    cuda = device.type == "cuda"
    set_precision(precision)
    torch.manual_seed(12134)
    if hasattr(torch, "_dynamo"):
        torch._dynamo.reset()
    model = Autoencoder(cols, args.hidden, args.layers).to(device)
    opt = torch.optim.RMSprop(model.parameters(), lr=args.lr, alpha=0.9, eps=1e-8)

    def loss_of(flat, bag, target):
        return smce(model(flat, bag), target)

    if mode == "compile":
        loss_of = torch.compile(loss_of, mode=None if args.compile_mode == "default" else args.compile_mode)

    total = args.warmup + args.steps
    batches = host_batches(rows, offsets, indices, args.batch, total, pin=cuda)

    def step(i):
        flat, bag, row_ids = batches[i]
        flat = flat.to(device, non_blocking=True)
        bag = bag.to(device, non_blocking=True)
        row_ids = row_ids.to(device, non_blocking=True)
        target = torch.zeros(args.batch, cols, device=device)
        target[row_ids, flat] = 1.0
        opt.zero_grad(set_to_none=True)
        loss = loss_of(flat, bag, target)
        loss.backward()
        opt.step()
        return loss.detach()

    def sync():
        if cuda:
            torch.cuda.synchronize(device)

    start = time.perf_counter()
    for i in range(args.warmup):
        step(i)
    sync()
    warmup_seconds = time.perf_counter() - start

    losses = []
    start = time.perf_counter()
    for i in range(args.warmup, total):
        losses.append(step(i))
    sync()
    seconds = time.perf_counter() - start
    losses = [float(x) for x in losses]
    result = {
        "framework": f"pytorch {torch.__version__}",
        "mode": mode,
        "precision": precision,
        "device": torch.cuda.get_device_name(device) if cuda else f"cpu ({torch.get_num_threads()} threads)",
        "steps": args.steps,
        "warmup": args.warmup,
        "batch": args.batch,
        "items": cols,
        "hidden": args.hidden,
        "samples_per_second": args.steps * args.batch / seconds,
        "step_ms": seconds / args.steps * 1e3,
        "warmup_seconds": warmup_seconds,
        "first_loss": losses[0],
        "last_loss": losses[-1],
    }
    if mode == "compile":
        result["compile_mode"] = args.compile_mode
    if precision == "tf32" and not cuda:
        result["note"] = "tf32 has no effect on the cpu"
    if cuda:
        result["max_memory_mib"] = torch.cuda.max_memory_allocated(device) / 2**20
        torch.cuda.reset_peak_memory_stats(device)
    del model, opt, batches
    if cuda:
        torch.cuda.empty_cache()
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="the CSR file DestinyDsl.Benchmarks.Gpu wrote")
    p.add_argument("--device", default="cuda", help="cuda (default), cuda:N or cpu (smoke test)")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--threads", type=int, default=0, help="CPU threads (default: torch's choice)")
    p.add_argument("--configs", default="eager-fp32,eager-tf32,compile-fp32,compile-tf32",
                   help="comma-separated MODE-PRECISION list, modes eager|compile, precisions fp32|tf32")
    p.add_argument("--compile-mode", default="default",
                   help="torch.compile mode: default, max-autotune-no-cudagraphs, … (reduce-overhead needs static shapes)")
    p.add_argument("--out", help="also append the JSON lines to this file")
    args = p.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("pytorch_gpu.py: torch.cuda.is_available() is False (use --device cpu for a smoke test)")
    data = read_csr(args.data)
    rows, cols, offsets, _ = data
    if rows < args.batch:
        sys.exit(f"{args.data}: {rows} rows, fewer than one batch of {args.batch}")
    print(f"# pytorch {torch.__version__} on {device}: {rows} rows x {cols} items, {offsets[-1]} non-zeros; "
          f"{cols} -> {args.hidden} x{args.layers} -> {cols}, batch {args.batch}, {args.warmup} warm-up + {args.steps} timed steps",
          file=sys.stderr, flush=True)

    out = open(args.out, "a", encoding="utf-8") if args.out else None
    failed = False
    for config in [c.strip() for c in args.configs.split(",") if c.strip()]:
        mode, _, precision = config.partition("-")
        if mode not in ("eager", "compile") or precision not in ("fp32", "tf32"):
            sys.exit(f"--configs: bad entry {config!r}")
        if mode == "compile" and not hasattr(torch, "compile"):
            result = {"mode": mode, "precision": precision, "framework": f"pytorch {torch.__version__}",
                      "skipped": f"torch.compile unavailable in pytorch {torch.__version__}"}
        else:
            try:
                result = run(args, mode, precision, data, device)
            except Exception as e:  # one configuration failing must not lose the others
                traceback.print_exc(file=sys.stderr)
                result = {"mode": mode, "precision": precision, "framework": f"pytorch {torch.__version__}",
                          "error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]}
                failed = True
        line = json.dumps(result)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()
    if out:
        out.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
