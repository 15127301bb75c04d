/* Entry point of the C ABI tests: runs every group and prints "N passed, N failed". */
#include <stdlib.h>

#include "harness.h"

int harness_current_failures = 0;
static int passed = 0;
static int failed = 0;

void harness_fail(const char *file, int line, const char *what) {
    harness_current_failures++;
    fprintf(stderr, "  FAILED %s:%d: %s\n", file, line, what);
}

void harness_run(const char *name, test_fn fn) {
    harness_current_failures = 0;
    fn();
    if (harness_current_failures == 0) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s (%d checks)\n", name, harness_current_failures);
    }
    fflush(stdout);
}

privshare_keyset *fixture_keyset(uint32_t suite) {
    privshare_keyset *ks = NULL;
    if (privshare_keyset_generate(suite, &ks, NULL) != PRIVSHARE_STATUS_OK) {
        fprintf(stderr, "fixture: cannot generate a keyset\n");
        exit(2);
    }
    return ks;
}

const privshare_cipher *fixture_randomized(const privshare_keyset *ks, const char *field, uint32_t encoding) {
    const privshare_cipher *c = NULL;
    privshare_status s = privshare_cipher_new_randomized(ks, "test-dataset", field, encoding, &c, NULL);
    return s == PRIVSHARE_STATUS_OK ? c : NULL;
}

void pack_strings(const char *const *values, size_t n, uint8_t **data, size_t **offsets) {
    size_t total = 0, i;
    for (i = 0; i < n; i++) total += strlen(values[i]);
    *data = malloc(total ? total : 1);
    *offsets = malloc((n + 1) * sizeof(size_t));
    if (*data == NULL || *offsets == NULL) exit(2);
    (*offsets)[0] = 0;
    for (i = 0; i < n; i++) {
        size_t len = strlen(values[i]);
        memcpy(*data + (*offsets)[i], values[i], len);
        (*offsets)[i + 1] = (*offsets)[i] + len;
    }
}

const privshare_date_range *births(void) {
    static const privshare_date_range range = {1900, 1, 1, 2099, 12, 31};
    return &range;
}

int column_value_is(const privshare_column *col, size_t i, const char *s) {
    size_t len;
    if (i >= col->count) return 0;
    len = col->offsets[i + 1] - col->offsets[i];
    return len == strlen(s) && (len == 0 || memcmp(col->data + col->offsets[i], s, len) == 0);
}

int buffer_is(const privshare_buffer *buf, const char *s) {
    return buf->len == strlen(s) && (buf->len == 0 || memcmp(buf->data, s, buf->len) == 0);
}

int buffer_contains(const privshare_buffer *buf, const char *s) {
    size_t n = strlen(s), i;
    for (i = 0; i + n <= buf->len; i++)
        if (memcmp(buf->data + i, s, n) == 0) return 1;
    return 0;
}

int buffers_equal(const privshare_buffer *a, const privshare_buffer *b) {
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

int main(void) {
    run_version_error_tests();
    run_keyset_tests();
    run_cipher_tests();
    run_column_tests();
    run_thread_tests();
    run_vector_tests();
    run_mask_tests();
    run_anon_tests();
    run_audit_tests();
    run_envelope_tests();
    run_policy_tests();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
