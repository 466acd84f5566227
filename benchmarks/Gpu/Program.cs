using DestinyDsl.Benchmarks.Gpu;

// The GPU check and benchmark (README.md beside this file):
//   check   [--devices gpu|gpu:N|gpu-sim:N] [--networks A,B]
//   bench   [--devices …] [--steps 200] [--warmup 10] [--batch 256] [--items 27278] [--fp32|--tf32] [--data file.csr]
//   all     check, then bench, then one summary
//   summary --ours destinydsl.json [--pytorch pytorch.jsonl]      (the table run-on-gpu.sh prints)
//   data    [--steps …] [--warmup …] [--batch …] [--items …] --data file.csr       (only the data file)
// Every mode takes --json FILE (results for the summary). Exit codes: 0 all passed, 1 no GPU or a failed check,
// 2 bad arguments, 3 an unexpected error.
return Cli.Run(args);
