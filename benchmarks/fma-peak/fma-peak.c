// Measures the single-precision FMA peak of this machine: 12 independent AVX-512 FMA chains per thread (and an
// AVX2 variant with 12 chains of 8 floats), one pthread per requested thread.
//
// Why the shared/tools version over-reported: its 12 chains started from the same value with the same operands, so
// gcc proved them equal and computed one chain (one vfmadd per iteration) while counting twelve. Here every chain
// starts from a distinct value read at run time, and an empty asm statement after each iteration takes all twelve
// registers as in/out operands ("+v"), so the compiler can neither merge, reorder away nor spill them: the loop body
// is exactly 12 vfmadd on 12 registers (check: make check, or objdump -d fma-peak | grep -c vfmadd).
//
// Build: gcc -O2 -march=native -pthread fma-peak.c -o fma-peak      Run: ./fma-peak [threads] [seconds]
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { Chains = 12 };

typedef struct {
    long iterations;
    float seed;
    int wide;          // 1: 512-bit chains, 0: 256-bit chains
    double seconds;
    float checksum;
} Job;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Takes the twelve accumulators as register in/out operands of an empty asm: each must stay a distinct live register.
#define KEEP12() __asm__ volatile("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), \
                                       "+v"(a6), "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11))

__attribute__((noinline)) static float run512(long iterations, float seed) {
    __m512 a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;
    a0 = _mm512_set1_ps(seed + 0.0f); // distinct start values
    a1 = _mm512_set1_ps(seed + 0.125f); // distinct start values
    a2 = _mm512_set1_ps(seed + 0.25f); // distinct start values
    a3 = _mm512_set1_ps(seed + 0.375f); // distinct start values
    a4 = _mm512_set1_ps(seed + 0.5f); // distinct start values
    a5 = _mm512_set1_ps(seed + 0.625f); // distinct start values
    a6 = _mm512_set1_ps(seed + 0.75f); // distinct start values
    a7 = _mm512_set1_ps(seed + 0.875f); // distinct start values
    a8 = _mm512_set1_ps(seed + 1.0f); // distinct start values
    a9 = _mm512_set1_ps(seed + 1.125f); // distinct start values
    a10 = _mm512_set1_ps(seed + 1.25f); // distinct start values
    a11 = _mm512_set1_ps(seed + 1.375f); // distinct start values
    const __m512 scale = _mm512_set1_ps(0.9999999f), shift = _mm512_set1_ps(seed * 1e-7f);
    for (long i = 0; i < iterations; i++) {
        a0 = _mm512_fmadd_ps(a0, scale, shift);
        a1 = _mm512_fmadd_ps(a1, scale, shift);
        a2 = _mm512_fmadd_ps(a2, scale, shift);
        a3 = _mm512_fmadd_ps(a3, scale, shift);
        a4 = _mm512_fmadd_ps(a4, scale, shift);
        a5 = _mm512_fmadd_ps(a5, scale, shift);
        a6 = _mm512_fmadd_ps(a6, scale, shift);
        a7 = _mm512_fmadd_ps(a7, scale, shift);
        a8 = _mm512_fmadd_ps(a8, scale, shift);
        a9 = _mm512_fmadd_ps(a9, scale, shift);
        a10 = _mm512_fmadd_ps(a10, scale, shift);
        a11 = _mm512_fmadd_ps(a11, scale, shift);
        KEEP12();
    }
    __m512 sum = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)), _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
    return _mm512_reduce_add_ps(sum);
}

__attribute__((noinline)) static float run256(long iterations, float seed) {
    __m256 a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;
    a0 = _mm256_set1_ps(seed + 0.0f); // distinct start values
    a1 = _mm256_set1_ps(seed + 0.125f); // distinct start values
    a2 = _mm256_set1_ps(seed + 0.25f); // distinct start values
    a3 = _mm256_set1_ps(seed + 0.375f); // distinct start values
    a4 = _mm256_set1_ps(seed + 0.5f); // distinct start values
    a5 = _mm256_set1_ps(seed + 0.625f); // distinct start values
    a6 = _mm256_set1_ps(seed + 0.75f); // distinct start values
    a7 = _mm256_set1_ps(seed + 0.875f); // distinct start values
    a8 = _mm256_set1_ps(seed + 1.0f); // distinct start values
    a9 = _mm256_set1_ps(seed + 1.125f); // distinct start values
    a10 = _mm256_set1_ps(seed + 1.25f); // distinct start values
    a11 = _mm256_set1_ps(seed + 1.375f); // distinct start values
    const __m256 scale = _mm256_set1_ps(0.9999999f), shift = _mm256_set1_ps(seed * 1e-7f);
    for (long i = 0; i < iterations; i++) {
        a0 = _mm256_fmadd_ps(a0, scale, shift);
        a1 = _mm256_fmadd_ps(a1, scale, shift);
        a2 = _mm256_fmadd_ps(a2, scale, shift);
        a3 = _mm256_fmadd_ps(a3, scale, shift);
        a4 = _mm256_fmadd_ps(a4, scale, shift);
        a5 = _mm256_fmadd_ps(a5, scale, shift);
        a6 = _mm256_fmadd_ps(a6, scale, shift);
        a7 = _mm256_fmadd_ps(a7, scale, shift);
        a8 = _mm256_fmadd_ps(a8, scale, shift);
        a9 = _mm256_fmadd_ps(a9, scale, shift);
        a10 = _mm256_fmadd_ps(a10, scale, shift);
        a11 = _mm256_fmadd_ps(a11, scale, shift);
        KEEP12();
    }
    __m256 sum = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)), _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    sum = _mm256_add_ps(sum, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float lanes[8];
    _mm256_storeu_ps(lanes, sum);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
}

static void *worker(void *arg) {
    Job *job = arg;
    double t0 = now();
    job->checksum = job->wide ? run512(job->iterations, job->seed) : run256(job->iterations, job->seed);
    job->seconds = now() - t0;
    return NULL;
}

// Runs `threads` workers at once; returns total GFLOP/s (by the slowest thread) and the per-thread average.
static void measure(int threads, int wide, long iterations, float seed, double *total, double *perThread) {
    pthread_t ids[256];
    Job jobs[256];
    for (int t = 0; t < threads; t++) {
        jobs[t] = (Job){ iterations, seed + t, wide, 0, 0 };
        pthread_create(&ids[t], NULL, worker, &jobs[t]);
    }
    double slowest = 0, sumRates = 0;
    float check = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
        if (jobs[t].seconds > slowest) slowest = jobs[t].seconds;
        check += jobs[t].checksum;
    }
    double flopsPerThread = (double)iterations * Chains * (wide ? 16 : 8) * 2;
    for (int t = 0; t < threads; t++) sumRates += flopsPerThread / jobs[t].seconds;
    *total = flopsPerThread * threads / slowest / 1e9;
    *perThread = sumRates / threads / 1e9;
    if (check == 12345.678f) printf("(checksum %f)\n", check); // keeps the results observable
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 0;
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    float seed = 1.0f + (float)argc * 1e-3f; // run-time value: nothing can be constant-folded
    if (threads <= 0) {
        cpu_set_t set;
        sched_getaffinity(0, sizeof set, &set);
        threads = CPU_COUNT(&set);
    }
    if (threads > 256) threads = 256;
    for (int wide = 1; wide >= 0; wide--) {
        // Calibrate to about `seconds` per measurement on one thread.
        long iterations = 1000000;
        double total, perThread;
        for (;;) {
            double t0 = now();
            measure(1, wide, iterations, seed, &total, &perThread);
            if (now() - t0 > 0.2) break;
            iterations *= 4;
        }
        iterations = (long)(iterations * seconds / (iterations * Chains * (wide ? 32.0 : 16.0) / (total * 1e9)));
        for (int n = 1; n <= threads; n = n < threads ? (n * 2 > threads ? threads : n * 2) : threads + 1) {
            double best = 0, bestPer = 0;
            for (int rep = 0; rep < 3; rep++) {
                measure(n, wide, iterations, seed, &total, &perThread);
                if (total > best) { best = total; bestPer = perThread; }
            }
            printf("%s threads=%d  %.1f GFLOP/s  (%.1f per thread)  best of 3\n",
                   wide ? "avx512" : "avx2  ", n, best, bestPer);
        }
    }
    return 0;
}
