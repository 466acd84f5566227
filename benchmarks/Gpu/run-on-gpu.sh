#!/usr/bin/env bash
# Runs on the GPU machine from the unpacked gpu-bench.tar.xz (no .NET needed): the GPU summary, DestinyDsl's check
# and benchmark, PyTorch's benchmark on the same data file, then the comparison table against the targets. Everything
# printed is Markdown-friendly, for docs/performance.md. Results go to $OUT when it is set, else ./results here.
#   gpu-bench/run-on-gpu.sh
# Knobs (environment): STEPS=200 WARMUP=10 BATCH=256 ITEMS=27278 DEVICES=gpu OURS_TIMEOUT=140 TORCH_TIMEOUT=140
#   PYTHON=python3 TORCH_DEVICE=cuda TORCH_CONFIGS=eager-fp32,eager-tf32,compile-fp32,compile-tf32
#   NETWORK=dsstne (smoke: 3×32 hidden on both sides, with DEVICES=gpu-sim:1 TORCH_DEVICE=cpu to try the script
#   without a GPU). Worst case ≈ OURS_TIMEOUT + TORCH_TIMEOUT + the data file (≈ 15 s on 16 cores) < 5 minutes; typically 2–3.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/results}
mkdir -p "$out"
exec > >(tee -a "$out/run-on-gpu.log") 2>&1

steps=${STEPS:-200}
warmup=${WARMUP:-10}
batch=${BATCH:-256}
items=${ITEMS:-27278}
devices=${DEVICES:-gpu}
network=${NETWORK:-dsstne}
python=${PYTHON:-python3}
case "$network" in
  dsstne) hidden=1024 ;;
  smoke) hidden=32 ;;
  *) echo "NETWORK=$network: expected dsstne or smoke"; exit 2 ;;
esac
bin="$here/publish/DestinyDsl.Benchmarks.Gpu"
work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-bench.XXXXXX")
data="$work/dsstne-$(( (steps + warmup) * batch ))x$items.csr"
shape=(--steps "$steps" --warmup "$warmup" --batch "$batch" --items "$items")
status=0
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }

echo "## GPU benchmark run, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(head -c 12 "$here/COMMIT" 2>/dev/null || echo unknown)"
echo
echo '```'
nvidia-smi --query-gpu=index,name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,power.limit --format=csv 2>&1 || echo "nvidia-smi failed"
nvidia-smi 2>/dev/null | grep -m1 'CUDA Version' || true
echo "host: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
# cuBLAS: the backend loads libcublas.so.13 (or .12/.11/.10) by name. When the loader's cache has none, look where
# CUDA toolkits and PyTorch's wheels keep theirs, and give that folder to our program only (not to PyTorch).
ours_ld=${LD_LIBRARY_PATH:-}
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig)
if "$ldconfig" -p 2>/dev/null | grep -Eq 'libcublas\.so\.1[0-3]( |$)'; then
  echo "cuBLAS: $("$ldconfig" -p | grep -Eo 'libcublas\.so\.1[0-3] .*=> [^ ]+' | sed 's/ (.*)//' | tr '\n' ' ')"
else
  found=$( { ls -d /usr/local/cuda*/lib64 /usr/local/cuda*/targets/x86_64-linux/lib 2>/dev/null
             "$python" -c 'import glob, os, site; [print(p) for d in site.getsitepackages() for p in glob.glob(os.path.join(d, "nvidia", "*", "lib"))]' 2>/dev/null
           } | while read -r d; do ls "$d"/libcublas.so.1[0-3] >/dev/null 2>&1 && echo "$d"; done | head -1)
  if [ -n "$found" ]; then
    ours_ld="$found${ours_ld:+:$ours_ld}"
    echo "cuBLAS: not in the loader's cache; using $found ($(cd "$found" && ls libcublas.so.1[0-3] | tr '\n' ' '))"
  else
    echo "cuBLAS: none found (libcublas.so.10-13): the backend falls back to its tiled kernel, and says so"
  fi
fi
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -1
echo '```'
echo

# 1. The data file both sides train on (the head-to-head's generator and seed).
echo "### data ($(elapsed))"
if ! env LD_LIBRARY_PATH="$ours_ld" "$bin" data "${shape[@]}" --data "$data"; then
  echo "data generation failed"; exit 1
fi
echo

# 2. DestinyDsl: CPU vs GPU check, then the benchmark (FP32, TF32, products, element-wise kernels).
echo "### DestinyDsl ($(elapsed))"
echo '```'
env LD_LIBRARY_PATH="$ours_ld" timeout -k 10 "${OURS_TIMEOUT:-140}" "$bin" all --devices "$devices" --network "$network" "${shape[@]}" \
  --data "$data" --json "$out/destinydsl.json"
ours=$?
echo '```'
[ "$ours" -eq 124 ] && echo "DestinyDsl: timed out after ${OURS_TIMEOUT:-140}s"
[ "$ours" -ne 0 ] && { echo "DestinyDsl exited $ours"; status=1; }
echo

# 3. PyTorch on the same GPU and the same file: eager and torch.compile, FP32 and TF32 (one JSON line each).
echo "### PyTorch ($(elapsed))"
rm -f "$out/pytorch.jsonl"
echo '```'
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE GLIBC_TUNABLES=glibc.malloc.hugetlb=1 \
  timeout -k 10 "${TORCH_TIMEOUT:-140}" "$python" "$here/pytorch_gpu.py" --data "$data" --device "${TORCH_DEVICE:-cuda}" \
  --steps "$steps" --warmup "$warmup" --batch "$batch" --hidden "$hidden" --configs "${TORCH_CONFIGS:-eager-fp32,eager-tf32,compile-fp32,compile-tf32}" --out "$out/pytorch.jsonl"
torch=$?
echo '```'
[ "$torch" -eq 124 ] && echo "PyTorch: timed out after ${TORCH_TIMEOUT:-140}s (the configurations that finished are kept)"
[ "$torch" -ne 0 ] && echo "PyTorch exited $torch"
echo

# 4. The comparison, against the targets.
echo "### Summary ($(elapsed))"
echo
if [ -s "$out/destinydsl.json" ]; then
  "$bin" summary --ours "$out/destinydsl.json" --pytorch "$out/pytorch.jsonl" | tee "$out/summary.md"
else
  echo "no DestinyDsl results ($out/destinydsl.json missing)"; status=1
fi
echo
echo "total $(elapsed); results in $out"
rm -rf "$work"
exit $status
