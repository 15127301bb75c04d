/* Concurrent use: one keyset and one cipher of each kind shared by several pthreads, while the
 * main thread rotates the keyset. */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"

#define THREADS 6
#define ROUNDS 40

struct shared {
    const privshare_keyset *ks;
    const privshare_cipher *randomized;
    const privshare_cipher *deterministic;
    const privshare_cipher *mobile;
    privshare_buffer det_reference; /* deterministic ciphertext of "joinable", made before the threads */
};

struct worker {
    struct shared *shared;
    int index;
    int failures;
};

static void *work(void *arg) {
    struct worker *w = arg;
    struct shared *s = w->shared;
    char value[64];
    int round;
    for (round = 0; round < ROUNDS; round++) {
        privshare_buffer ct = {NULL, 0}, pt = {NULL, 0};
        const privshare_cipher *own = NULL;
        const char *column[3];
        uint8_t *data;
        size_t *offsets;
        privshare_column cct = {NULL, 0, NULL, 0, NULL, 0}, cpt = {NULL, 0, NULL, 0, NULL, 0};
        uint8_t out[32];
        size_t out_len = 0;

        snprintf(value, sizeof value, "thread %d round %d", w->index, round);
        /* The shared randomized cipher, single values. */
        if (privshare_cipher_encrypt(s->randomized, NULL, 0, (const uint8_t *)value, strlen(value), &ct, NULL) != 0 ||
            privshare_cipher_decrypt(s->randomized, NULL, 0, ct.data, ct.len, &pt, NULL) != 0 || !buffer_is(&pt, value))
            w->failures++;
        privshare_buffer_free(&ct);
        privshare_buffer_free(&pt);
        /* The shared deterministic cipher agrees with itself across threads. */
        if (privshare_cipher_encrypt(s->deterministic, NULL, 0, (const uint8_t *)"joinable", 8, &ct, NULL) != 0 ||
            !buffers_equal(&ct, &s->det_reference))
            w->failures++;
        privshare_buffer_free(&ct);
        /* The shared FPE cipher into a caller buffer. */
        if (privshare_cipher_encrypt_into(s->mobile, NULL, 0, (const uint8_t *)"13800138000", 11, out, sizeof out,
                                          &out_len, NULL) != 0 ||
            out_len != 11)
            w->failures++;
        /* A column through the shared cipher. */
        column[0] = value;
        column[1] = "";
        column[2] = "third";
        pack_strings(column, 3, &data, &offsets);
        if (privshare_cipher_encrypt_column(s->randomized, data, offsets, 3, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &cct, NULL) != 0 ||
            privshare_cipher_decrypt_column(s->randomized, cct.data, cct.offsets, cct.count, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &cpt, NULL) !=
                0 ||
            !column_value_is(&cpt, 0, value) || !column_value_is(&cpt, 2, "third"))
            w->failures++;
        privshare_column_free(&cct);
        privshare_column_free(&cpt);
        free(data);
        free(offsets);
        /* New ciphers from the shared keyset (read while the main thread may be rotating it). */
        if (privshare_cipher_new_randomized(s->ks, "threads", "own", PRIVSHARE_ENCODING_BINARY, &own, NULL) != 0 ||
            privshare_keyset_primary_id(s->ks) == 0)
            w->failures++;
        if (own != NULL) {
            if (privshare_cipher_encrypt(own, NULL, 0, (const uint8_t *)value, strlen(value), &ct, NULL) != 0 ||
                privshare_cipher_decrypt(own, NULL, 0, ct.data, ct.len, &pt, NULL) != 0 || !buffer_is(&pt, value))
                w->failures++;
            privshare_buffer_free(&ct);
            privshare_buffer_free(&pt);
            privshare_cipher_free(own);
        }
    }
    return NULL;
}

static void one_keyset_and_cipher_from_many_threads(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    struct shared s;
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    int i, started = 0;
    memset(&s, 0, sizeof s);
    s.ks = ks;
    s.randomized = fixture_randomized(ks, "shared", PRIVSHARE_ENCODING_TEXT);
    CHECK_STATUS(privshare_cipher_new_deterministic(ks, "ds", "join", PRIVSHARE_ENCODING_TEXT, &s.deterministic, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), "ds", "phone", &s.mobile, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt(s.deterministic, NULL, 0, (const uint8_t *)"joinable", 8, &s.det_reference,
                                          NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(s.randomized != NULL);
    for (i = 0; i < THREADS; i++) {
        workers[i].shared = &s;
        workers[i].index = i;
        workers[i].failures = 0;
        if (pthread_create(&threads[i], NULL, work, &workers[i]) == 0) started++;
    }
    CHECK(started == THREADS);
    /* Rotation takes the keyset's write lock: safe even while the workers read it. */
    for (i = 0; i < 3; i++) CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_SM, NULL, NULL), PRIVSHARE_STATUS_OK);
    for (i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].failures == 0);
    }
    CHECK(privshare_keyset_version_count(ks) == 4);
    privshare_buffer_free(&s.det_reference);
    privshare_cipher_free(s.randomized);
    privshare_cipher_free(s.deterministic);
    privshare_cipher_free(s.mobile);
    privshare_keyset_free(ks);
}

void run_thread_tests(void) {
    RUN(one_keyset_and_cipher_from_many_threads);
}
