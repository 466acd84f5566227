#!/usr/bin/env bash
# Builds what a GPU machine without .NET runs: a self-contained linux-x64 publish of DestinyDsl.Benchmarks.Gpu
# (plain files: no NativeAOT, no single file, no trimming — ILGPU reads kernels' IL by reflection), plus
# pytorch_gpu.py and run-on-gpu.sh, packed as gpu-bench.tar.xz (fails if it is over 64 MiB).
#   benchmarks/Gpu/publish.sh [OUTPUT_DIR]      (default: artifacts/gpu-bench under the repository root)
# The tarball unpacks to gpu-bench/{publish/, pytorch_gpu.py, run-on-gpu.sh, README.md}; on the GPU machine:
#   tar -xJf gpu-bench.tar.xz && gpu-bench/run-on-gpu.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mkdir -p "${1:-$root/artifacts/gpu-bench}" && cd "${1:-$root/artifacts/gpu-bench}" && pwd)
limit=$((64 * 1024 * 1024))

stage="$out/stage/gpu-bench"
rm -rf "$out/stage" "$out/gpu-bench.tar.xz"
mkdir -p "$stage"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet publish "$here/Gpu.csproj" -c Release -r linux-x64 --self-contained true \
  -p:PublishTrimmed=false -p:PublishSingleFile=false -p:PublishAot=false -p:DebugType=none \
  -o "$stage/publish" -nologo -v:minimal

cp "$here/pytorch_gpu.py" "$here/run-on-gpu.sh" "$here/README.md" "$stage/"
chmod +x "$stage/run-on-gpu.sh" "$stage/pytorch_gpu.py" "$stage/publish/DestinyDsl.Benchmarks.Gpu"
git -C "$root" rev-parse HEAD > "$stage/COMMIT" 2>/dev/null || echo unknown > "$stage/COMMIT"
git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo "(with uncommitted changes)" >> "$stage/COMMIT" || true

# The smoke run of the published binary itself (no GPU needed): it must start, and fail cleanly without a GPU.
"$stage/publish/DestinyDsl.Benchmarks.Gpu" --help >/dev/null

tar -C "$out/stage" -cJf "$out/gpu-bench.tar.xz" gpu-bench
rm -rf "$out/stage"
size=$(stat -c %s "$out/gpu-bench.tar.xz")
echo "gpu-bench.tar.xz: $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }') ($size bytes) at $out/gpu-bench.tar.xz"
if [ "$size" -gt "$limit" ]; then
  echo "publish.sh: the tarball is over 64 MiB" >&2
  exit 1
fi
