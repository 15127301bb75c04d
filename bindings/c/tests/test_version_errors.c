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

/* The header's status constants are the core's error table: same codes, same names, none missing. */
static void status_constants_are_the_core_error_table(void) {
    static const struct {
        privshare_status code;
        const char *name;
    } ours[] = {
        {PRIVSHARE_STATUS_INVALID_ARGUMENT, "invalid_argument"},
        {PRIVSHARE_STATUS_INVALID_INPUT, "invalid_input"},
        {PRIVSHARE_STATUS_EMPTY_VALUE, "empty_value"},
        {PRIVSHARE_STATUS_NOT_UTF8, "not_utf8"},
        {PRIVSHARE_STATUS_OUTSIDE_ALPHABET, "outside_alphabet"},
        {PRIVSHARE_STATUS_INVALID_IDENTIFIER, "invalid_identifier"},
        {PRIVSHARE_STATUS_DOMAIN_TOO_SMALL, "domain_too_small"},
        {PRIVSHARE_STATUS_VALUE_TOO_LONG, "value_too_long"},
        {PRIVSHARE_STATUS_AUTHENTICATION_FAILED, "authentication_failed"},
        {PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT, "malformed_ciphertext"},
        {PRIVSHARE_STATUS_UNSUPPORTED_VERSION, "unsupported_version"},
        {PRIVSHARE_STATUS_UNSUPPORTED_ALGORITHM, "unsupported_algorithm"},
        {PRIVSHARE_STATUS_UNKNOWN_KEY, "unknown_key"},
        {PRIVSHARE_STATUS_KEY_DISABLED, "key_disabled"},
        {PRIVSHARE_STATUS_KEY_DESTROYED, "key_destroyed"},
        {PRIVSHARE_STATUS_KEY_UNWRAP_FAILED, "key_unwrap_failed"},
        {PRIVSHARE_STATUS_MALFORMED_KEYSET, "malformed_keyset"},
        {PRIVSHARE_STATUS_KEYSET_STATE, "keyset_state"},
        {PRIVSHARE_STATUS_KEYSET_ROLLED_BACK, "keyset_rolled_back"},
        {PRIVSHARE_STATUS_POLICY, "policy"},
        {PRIVSHARE_STATUS_IO, "io"},
        {PRIVSHARE_STATUS_REPLAY, "replay"},
        {PRIVSHARE_STATUS_EXPIRED, "expired"},
        {PRIVSHARE_STATUS_NOT_RECIPIENT, "not_recipient"},
        {PRIVSHARE_STATUS_UNKNOWN_SENDER, "unknown_sender"},
        {PRIVSHARE_STATUS_MALFORMED_ENVELOPE, "malformed_envelope"},
        {PRIVSHARE_STATUS_BAD_SIGNATURE, "bad_signature"},
        {PRIVSHARE_STATUS_NOT_YET_VALID, "not_yet_valid"},
        {PRIVSHARE_STATUS_CORRUPTED_PAYLOAD, "corrupted_payload"},
        {PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE, "anonymization_infeasible"},
        {PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG, "malformed_audit_log"},
        {PRIVSHARE_STATUS_AUDIT_LOG_TORN_TAIL, "audit_log_torn_tail"},
        {PRIVSHARE_STATUS_AUDIT_LOG_MISMATCH, "audit_log_mismatch"},
        {PRIVSHARE_STATUS_AUDIT_LOG_TRUNCATED, "audit_log_truncated"},
        {PRIVSHARE_STATUS_AUDIT_LOG_FORKED, "audit_log_forked"},
        {PRIVSHARE_STATUS_INTERNAL, "internal"},
    };
    const size_t n = sizeof ours / sizeof ours[0];
    size_t i, k;
    CHECK(privshare_error_kind_count() == n);
    for (i = 0; i < privshare_error_kind_count(); i++) {
        privshare_status code = privshare_error_kind_code(i);
        for (k = 0; k < n && ours[k].code != code; k++) {
        }
        CHECK(k < n);
        if (k < n) CHECK(strcmp(privshare_error_kind_name(code), ours[k].name) == 0);
    }
    CHECK(privshare_error_kind_code(n) == 0 && privshare_error_kind_name(7) == NULL);
    CHECK(strcmp(privshare_error_kind_name(PRIVSHARE_STATUS_NULL_ARGUMENT), "null_argument") == 0);
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
    RUN(status_constants_are_the_core_error_table);
    RUN(null_error_accessors_are_harmless);
    RUN(error_object_describes_a_failure);
    RUN(error_positions_reach_c);
    RUN(failing_calls_accept_a_null_error_pointer);
}
