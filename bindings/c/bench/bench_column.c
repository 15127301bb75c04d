/*
 * Batch randomized encryption of N 32-byte values through the C ABI (one call per column), timed
 * end to end: encrypt_column plus column_free, as wall time and as the thread's on-CPU time (steadier
 * on a shared machine). Compare with rust_batch.rs, the same work in Rust:
 *   bindings/c/bench/run-bench.sh
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "privshare.h"

static double clock_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5, r;
    uint32_t encodings[2] = {PRIVSHARE_ENCODING_BINARY, PRIVSHARE_ENCODING_TEXT};
    const char *names[2] = {"binary", "text"};
    uint8_t *data = malloc(n * 32);
    size_t *offsets = malloc((n + 1) * sizeof(size_t)), i;
    privshare_keyset *ks = NULL;
    int e;
    if (data == NULL || offsets == NULL) return 2;
    for (i = 0; i < n * 32; i++) data[i] = (uint8_t)('a' + i % 26);
    for (i = 0; i <= n; i++) offsets[i] = i * 32;
    if (privshare_keyset_generate(PRIVSHARE_SUITE_AES, &ks, NULL) != 0) return 1;
    for (e = 0; e < 2; e++) {
        const privshare_cipher *c = NULL;
        double best = 1e30, best_cpu = 1e30;
        if (privshare_cipher_new_randomized(ks, "bench", "value", encodings[e], &c, NULL) != 0) return 1;
        for (r = 0; r < rounds; r++) {
            privshare_column col;
            double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID), t, cpu;
            if (privshare_cipher_encrypt_column(c, data, offsets, n, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL) != 0) return 1;
            privshare_column_free(&col);
            cpu = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
            t = clock_ms(CLOCK_MONOTONIC) - t0;
            if (t < best) best = t;
            if (cpu < best_cpu) best_cpu = cpu;
        }
        printf("c-abi  %-6s %zu values x 32 B, best of %d: wall %.1f ms, on-CPU %.1f ms (%.0f ns/value)\n", names[e], n,
               rounds, best, best_cpu, best_cpu * 1e6 / (double)n);
        privshare_cipher_free(c);
    }
    privshare_keyset_free(ks);
    free(data);
    free(offsets);
    return 0;
}
