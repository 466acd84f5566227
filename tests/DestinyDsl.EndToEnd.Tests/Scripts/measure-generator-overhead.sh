#!/usr/bin/env bash
# How long the DestinyDsl generator and analyzer add to a build of a small consumer.
#
# Packs the DestinyDsl package into a temporary feed, creates a console project that references it with the
# end-to-end "Valid" consumer's three .dnet files, and then, RUNS times each:
#   1. rebuilds it (Program.cs touched, so the compiler runs) with -p:ReportAnalyzer=true and reads the
#      compiler's own timing of the generator and the analyzer from the log;
#   2. times the same rebuild wall-clock with the .dnet files, and with EnableDefaultDnetItems=false (no .dnet
#      file reaches the compiler, so the generator and analyzer have nothing to do).
# Usage: measure-generator-overhead.sh [RUNS]   (default 5). Prints medians.
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
version=0.1.0-measure$(date +%s)

dotnet pack "$root/src/SourceGenerator/Package/DestinyDsl.Package.csproj" -c Release -o "$work/feed" -p:PackageVersion=$version -nologo -v:q >/dev/null
mkdir -p "$work/consumer"
cp -r "$root/tests/DestinyDsl.EndToEnd.Tests/Consumers/Valid/." "$work/consumer/"
echo '<Project />' > "$work/consumer/Directory.Build.props"
echo '<Project />' > "$work/consumer/Directory.Build.targets"
# A Program.cs that does not depend on the generated classes, so the build also succeeds without the .dnet files.
echo 'System.Console.WriteLine("hello");' > "$work/consumer/Program.cs"
cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="feed" value="$work/feed" /></packageSources></configuration>
XML
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><RootNamespace>Consumer</RootNamespace></PropertyGroup>
  <ItemGroup><PackageReference Include="DestinyDsl" Version="$version" /></ItemGroup>
</Project>
XML
cd "$work/consumer"
dotnet build -c Release -nologo -v:q -p:RestorePackagesPath="$work/packages" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rebuild() { touch Program.cs; local s=$(date +%s%N); dotnet build -c Release -nologo --no-restore -tl:off "$@" > "$work/log" 2>&1; local e=$(date +%s%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }'; }

gen=(); ana=(); with=(); without=()
for i in $(seq "$runs"); do
  rebuild -p:ReportAnalyzer=true -v:d >/dev/null
  gen+=("$(grep -m1 -oE '[0-9.]+ +[0-9<]+ +DestinyDsl.SourceGenerator.DnetGenerator' "$work/log" | awk '{print $1}')")
  ana+=("$(grep -m1 -oE '[0-9.]+ +[0-9<]+ +DestinyDsl.Analyzers.DnetFileAnalyzer' "$work/log" | awk '{print $1}')")
  with+=("$(rebuild)")
  without+=("$(rebuild -p:EnableDefaultDnetItems=false)")
done
printf 'runs: %s\n' "$runs"
printf 'compiler-reported DnetGenerator time (s): median %s  [%s]\n' "$(printf '%s\n' "${gen[@]}" | median)" "${gen[*]}"
printf 'compiler-reported DnetFileAnalyzer time (s): median %s  [%s]\n' "$(printf '%s\n' "${ana[@]}" | median)" "${ana[*]}"
printf 'wall-clock rebuild with the .dnet files (s): median %s  [%s]\n' "$(printf '%s\n' "${with[@]}" | median)" "${with[*]}"
printf 'wall-clock rebuild without them (s):         median %s  [%s]\n' "$(printf '%s\n' "${without[@]}" | median)" "${without[*]}"
