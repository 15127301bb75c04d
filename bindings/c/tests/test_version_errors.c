/* Version macros and string; the error object's accessors. */
#include <stdlib.h>

#include "harness.h"

#ifndef PRIVSHARE_EXPECTED_VERSION
#error "build with -DPRIVSHARE_EXPECTED_VERSION=\"x.y.z\" (run-tests.sh reads it from Cargo.toml)"
#endif

static void version_matches_macros_and_cargo_toml(void) {
    char from_macros[64];
    snprintf(from_macros, sizeof from_macros, "%d.%d.%d", PRIVSHARE_VERSION_MAJOR, PRIVSHARE_VERSION_MINOR,
             PRIVSHARE_VERSION_PATCH);
    CHECK(privshare_version() != NULL);
    CHECK(strcmp(privshare_version(), from_macros) == 0);
    CHECK(strcmp(privshare_version(), PRIVSHARE_EXPECTED_VERSION) == 0);
}

static void null_error_accessors_are_harmless(void) {
    uint64_t v = 42;
    CHECK(privshare_error_code(NULL) == 0);
    CHECK(strcmp(privshare_error_message(NULL), "") == 0);
    CHECK(strcmp(privshare_error_description(NULL), "") == 0);
    CHECK(privshare_error_column(NULL) == NULL);
    CHECK(!privshare_error_row(NULL, &v));
    CHECK(!privshare_error_offset(NULL, &v));
    CHECK(v == 42);
    privshare_error_free(NULL);
}

static void error_object_describes_a_failure(void) {
    privshare_error *err = NULL;
    uint64_t v = 42;
    CHECK_STATUS(privshare_keyset_generate(PRIVSHARE_SUITE_AES, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(err != NULL);
    CHECK(privshare_error_code(err) == PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(strstr(privshare_error_message(err), "out") != NULL);
    CHECK(strstr(privshare_error_description(err), "code 1000") != NULL);
    CHECK(privshare_error_column(err) == NULL);
    CHECK(!privshare_error_row(err, &v) && !privshare_error_offset(err, &v) && v == 42);
    CHECK(!privshare_error_row(err, NULL));
    privshare_error_free(err);
}

static void error_positions_reach_c(void) {
    /* FF1 reports where a character outside the alphabet is: row (in a column) and byte offset. */
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = NULL;
    const char *values[] = {"1234567890", "12345678901", "123456x890"};
    uint8_t *data;
    size_t *offsets;
    privshare_column col;
    privshare_error *err = NULL;
    uint64_t row = 0, offset = 0;
    CHECK_STATUS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), "ds", "f", "0123456789", &c, NULL), PRIVSHARE_STATUS_OK);
    pack_strings(values, 3, &data, &offsets);
    CHECK_STATUS(privshare_cipher_encrypt_column(c, data, offsets, 3, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                 PRIVSHARE_STATUS_OUTSIDE_ALPHABET);
    CHECK(privshare_error_row(err, &row) && row == 2);
    CHECK(privshare_error_offset(err, &offset) && offset == 6);
    CHECK(strstr(privshare_error_description(err), "row 2") != NULL);
    privshare_error_free(err);
    free(data);
    free(offsets);
    privshare_cipher_free(c);
    privshare_keyset_free(ks);
}

static void failing_calls_accept_a_null_error_pointer(void) {
    CHECK_STATUS(privshare_keyset_generate(99, NULL, NULL), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(privshare_cipher_encrypt(NULL, NULL, 0, NULL, 0, NULL, NULL), PRIVSHARE_STATUS_NULL_ARGUMENT);
}

void run_version_error_tests(void) {
    RUN(version_matches_macros_and_cargo_toml);
    RUN(null_error_accessors_are_harmless);
    RUN(error_object_describes_a_failure);
    RUN(error_positions_reach_c);
    RUN(failing_calls_accept_a_null_error_pointer);
}
