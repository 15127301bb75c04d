/* Whole-column calls: one buffer plus offsets in, one privshare_column out. */
#include <stdlib.h>

#include "harness.h"

#define N_NAMES 6
static const char *const NAMES[N_NAMES] = {"Zhang San", "", "Li Si", "Wang Wu", "Zhao Liu \xe4\xb8\xad", "x"};
#define N_TOKEN_NAMES 3
static const char *const TOKEN_NAMES[N_TOKEN_NAMES] = {"Zhang San", "Li Si", "x"};

/* A column struct filled with a marker, to check that failures leave it untouched. */
static privshare_column marked(void) {
    privshare_column c;
    c.data = (uint8_t *)(uintptr_t)0x1;
    c.data_len = 7;
    c.offsets = (size_t *)(uintptr_t)0x2;
    c.count = 9;
    c.invalid_rows = (size_t *)(uintptr_t)0x3;
    c.invalid_count = 5;
    return c;
}

static int untouched(const privshare_column *c) {
    return c->data == (uint8_t *)(uintptr_t)0x1 && c->data_len == 7 && c->offsets == (size_t *)(uintptr_t)0x2 &&
           c->count == 9 && c->invalid_rows == (size_t *)(uintptr_t)0x3 && c->invalid_count == 5;
}

/* Encrypts then decrypts the column of `values` with `c` and checks the round trip. Returns the
 * encrypted column (caller frees). */
static privshare_column column_round_trip(const privshare_cipher *c, const char *const *values, size_t n) {
    uint8_t *data;
    size_t *offsets, i;
    privshare_column ct = {NULL, 0, NULL, 0, NULL, 0}, pt = {NULL, 0, NULL, 0, NULL, 0};
    pack_strings(values, n, &data, &offsets);
    CHECK_STATUS(privshare_cipher_encrypt_column(c, data, offsets, n, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &ct, NULL), PRIVSHARE_STATUS_OK);
    CHECK(ct.count == n && ct.offsets != NULL && ct.offsets[0] == 0 && ct.offsets[n] == ct.data_len);
    CHECK_STATUS(privshare_cipher_decrypt_column(c, ct.data, ct.offsets, ct.count, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &pt, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(pt.count == n);
    for (i = 0; i < n && i < pt.count; i++) CHECK(column_value_is(&pt, i, values[i]));
    privshare_column_free(&pt);
    free(data);
    free(offsets);
    return ct;
}

/* Checks that column value i equals the single-value encryption of values[i] (deterministic schemes). */
static void column_matches_single_values(const privshare_cipher *c, const privshare_column *col,
                                         const char *const *values, size_t n) {
    size_t i;
    CHECK(col->count == n && col->offsets != NULL);
    for (i = 0; i < n && i < col->count; i++) {
        privshare_buffer one = {NULL, 0};
        size_t len = col->offsets[i + 1] - col->offsets[i];
        CHECK_STATUS(privshare_cipher_encrypt(c, NULL, 0, (const uint8_t *)values[i], strlen(values[i]), &one, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK(one.len == len && (len == 0 || memcmp(one.data, col->data + col->offsets[i], len) == 0));
        privshare_buffer_free(&one);
    }
}

static void randomized_columns_with_and_without_records(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *text = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_TEXT);
    const privshare_cipher *bin = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_BINARY);
    const char *const records[N_NAMES] = {"r0", "r1", "r2", "r3", "r4", "r5"};
    const char *const wrong[N_NAMES] = {"r0", "r1", "r2", "rX", "r4", "r5"};
    uint8_t *data, *rdata, *wdata;
    size_t *offsets, *roffsets, *woffsets;
    privshare_column ct, pt = marked();
    privshare_error *err = NULL;
    uint64_t row = 99;

    ct = column_round_trip(text, NAMES, N_NAMES);
    CHECK(ct.count == N_NAMES && ct.data_len > 4 && memcmp(ct.data, "ps1:", 4) == 0);
    privshare_column_free(&ct);
    ct = column_round_trip(bin, NAMES, N_NAMES);
    privshare_column_free(&ct);

    pack_strings(NAMES, N_NAMES, &data, &offsets);
    pack_strings(records, N_NAMES, &rdata, &roffsets);
    pack_strings(wrong, N_NAMES, &wdata, &woffsets);
    CHECK_STATUS(privshare_cipher_encrypt_column(text, data, offsets, N_NAMES, rdata, roffsets, PRIVSHARE_ON_INVALID_DEFAULT, &ct, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_decrypt_column(text, ct.data, ct.offsets, ct.count, rdata, roffsets, PRIVSHARE_ON_INVALID_DEFAULT, &pt, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(pt.count == N_NAMES && column_value_is(&pt, 4, NAMES[4]));
    if (!untouched(&pt)) privshare_column_free(&pt);
    pt = marked();
    /* A value moved to another record fails, and the error names its row. */
    CHECK_STATUS(privshare_cipher_decrypt_column(text, ct.data, ct.offsets, ct.count, wdata, woffsets, PRIVSHARE_ON_INVALID_DEFAULT, &pt, &err),
                 PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK(privshare_error_row(err, &row) && row == 3);
    CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), "name") == 0);
    CHECK(strstr(privshare_error_description(err), "row 3") != NULL);
    privshare_error_free(err);
    err = NULL;
    CHECK(untouched(&pt));
    /* Without the records every value fails (row 0 first). */
    CHECK_FAILS(privshare_cipher_decrypt_column(text, ct.data, ct.offsets, ct.count, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &pt, &err),
                PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK(untouched(&pt));
    privshare_column_free(&ct);
    free(data);
    free(offsets);
    free(rdata);
    free(roffsets);
    free(wdata);
    free(woffsets);
    privshare_cipher_free(text);
    privshare_cipher_free(bin);
    privshare_keyset_free(ks);
}

static void garbage_in_a_column_names_its_row(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_SM);
    const privshare_cipher *c = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_TEXT);
    privshare_column ct = column_round_trip(c, NAMES, N_NAMES), pt = marked();
    privshare_error *err = NULL;
    uint64_t row = 99;
    /* Corrupt value 2 ("Li Si") in place: its first base64 character after the prefix. */
    if (ct.count == N_NAMES && ct.data_len > ct.offsets[2] + 4) ct.data[ct.offsets[2] + 4] = '!';
    CHECK_STATUS(privshare_cipher_decrypt_column(c, ct.data, ct.offsets, ct.count, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &pt, &err),
                 PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK(privshare_error_row(err, &row) && row == 2);
    CHECK(untouched(&pt));
    privshare_error_free(err);
    privshare_column_free(&ct);
    privshare_cipher_free(c);
    privshare_keyset_free(ks);
}

static void every_scheme_has_columns(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *det = NULL, *ff1 = NULL, *rid = NULL, *mob = NULL, *card = NULL, *tok = NULL, *rawtok = NULL;
    const char *const digits[3] = {"1234567890", "0000000000000", "9876543"};
    const char *const ids[2] = {"11010519491231002X", "440524198001010013"};
    const char *const phones[3] = {"13800138000", "19912345678", "15012345678"};
    const char *const cards[2] = {"4111111111111111", "5555555555554444"};
    privshare_column col;
    uint8_t *data;
    size_t *offsets;

    CHECK_STATUS(privshare_cipher_new_deterministic(ks, "ds", "name", PRIVSHARE_ENCODING_TEXT, &det, NULL),
                 PRIVSHARE_STATUS_OK);
    col = column_round_trip(det, NAMES, N_NAMES);
    column_matches_single_values(det, &col, NAMES, N_NAMES);
    privshare_column_free(&col);

    CHECK_STATUS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), "ds", "acct", "0123456789", &ff1, NULL), PRIVSHARE_STATUS_OK);
    col = column_round_trip(ff1, digits, 3);
    column_matches_single_values(ff1, &col, digits, 3);
    privshare_column_free(&col);

    CHECK_STATUS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), "ds", "id", births(), &rid, NULL), PRIVSHARE_STATUS_OK);
    col = column_round_trip(rid, ids, 2);
    column_matches_single_values(rid, &col, ids, 2);
    privshare_column_free(&col);

    CHECK_STATUS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), "ds", "phone", &mob, NULL), PRIVSHARE_STATUS_OK);
    col = column_round_trip(mob, phones, 3);
    column_matches_single_values(mob, &col, phones, 3);
    privshare_column_free(&col);

    CHECK_STATUS(privshare_cipher_new_bank_card(ks, privshare_keyset_primary_id(ks), "ds", "card", &card, NULL), PRIVSHARE_STATUS_OK);
    col = column_round_trip(card, cards, 2);
    column_matches_single_values(card, &col, cards, 2);
    privshare_column_free(&col);

    CHECK_STATUS(privshare_cipher_new_token(ks, 0, "link", PRIVSHARE_ENCODING_TEXT, &tok, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_token(ks, 0, "link", PRIVSHARE_ENCODING_BINARY, &rawtok, NULL),
                 PRIVSHARE_STATUS_OK);
    /* Tokens need non-empty values: the names without the empty one. */
    pack_strings(TOKEN_NAMES, N_TOKEN_NAMES, &data, &offsets);
    col = marked();
    CHECK_STATUS(privshare_cipher_encrypt_column(tok, data, offsets, N_TOKEN_NAMES, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == N_TOKEN_NAMES);
    if (!untouched(&col)) {
        column_matches_single_values(tok, &col, TOKEN_NAMES, N_TOKEN_NAMES);
        privshare_column_free(&col);
    }
    CHECK_STATUS(privshare_cipher_encrypt_column(rawtok, data, offsets, N_TOKEN_NAMES, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == N_TOKEN_NAMES && col.data_len == 32 * N_TOKEN_NAMES);
    if (!untouched(&col)) {
        column_matches_single_values(rawtok, &col, TOKEN_NAMES, N_TOKEN_NAMES);
        privshare_column_free(&col);
    }
    col = marked();
    CHECK_FAILS(privshare_cipher_decrypt_column(tok, data, offsets, N_TOKEN_NAMES, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    /* Records are for the randomized scheme only. */
    CHECK_FAILS(privshare_cipher_encrypt_column(det, data, offsets, N_TOKEN_NAMES, data, offsets, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(untouched(&col));
    free(data);
    free(offsets);

    privshare_cipher_free(det);
    privshare_cipher_free(ff1);
    privshare_cipher_free(rid);
    privshare_cipher_free(mob);
    privshare_cipher_free(card);
    privshare_cipher_free(tok);
    privshare_cipher_free(rawtok);
    privshare_keyset_free(ks);
}

static void fpe_column_errors_name_rows(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *mob = NULL;
    const char *const phones[4] = {"13800138000", "19912345678", "1380013800", "15012345678"};
    uint8_t *data;
    size_t *offsets;
    privshare_column col = marked();
    privshare_error *err = NULL;
    uint64_t row = 99;
    CHECK_STATUS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), "ds", "phone", &mob, NULL), PRIVSHARE_STATUS_OK);
    pack_strings(phones, 4, &data, &offsets);
    CHECK_STATUS(privshare_cipher_encrypt_column(mob, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                 PRIVSHARE_STATUS_INVALID_IDENTIFIER);
    CHECK(privshare_error_row(err, &row) && row == 2);
    CHECK(untouched(&col));
    privshare_error_free(err);
    err = NULL;
    /* One bad value need not fail the column: NULL gives an empty value, KEEP_MARKED the input,
     * and both list the row. */
    CHECK_STATUS(privshare_cipher_encrypt_column(mob, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_NULL, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == 4 && col.invalid_count == 1 && col.invalid_rows[0] == 2);
    CHECK(column_value_is(&col, 2, "") && col.offsets[1] - col.offsets[0] == 11);
    privshare_column_free(&col);
    CHECK_STATUS(privshare_cipher_encrypt_column(mob, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_KEEP_MARKED,
                                                 &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.invalid_count == 1 && col.invalid_rows[0] == 2 && column_value_is(&col, 2, "1380013800"));
    privshare_column_free(&col);
    CHECK_FAILS(privshare_cipher_encrypt_column(mob, data, offsets, 4, NULL, NULL, 7, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    free(data);
    free(offsets);
    privshare_cipher_free(mob);
    privshare_keyset_free(ks);
}

static void column_arguments_are_checked(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    const uint8_t data[4] = {'a', 'b', 'c', 'd'};
    const size_t good[3] = {0, 2, 4}, decreasing[3] = {0, 3, 2}, not_from_zero[3] = {1, 2, 4};
    const size_t empty_offsets[1] = {0};
    const size_t bad_records[3] = {0, 2, 1};
    privshare_column col = marked();
    CHECK_FAILS(privshare_cipher_encrypt_column(NULL, data, good, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_column(c, NULL, good, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    {
        /* The message names the NULL parameter. */
        privshare_error *err = NULL;
        CHECK_STATUS(privshare_cipher_encrypt_column(c, data, NULL, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                     PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK(strstr(privshare_error_message(err), "`offsets`") != NULL);
        privshare_error_free(err);
    }
    CHECK_FAILS(privshare_cipher_encrypt_column(c, data, good, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_column(c, data, decreasing, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_column(c, data, not_from_zero, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt_column(NULL, data, good, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt_column(c, data, NULL, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt_column(c, data, good, 2, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    /* Record offsets are checked like value offsets. */
    CHECK_FAILS(privshare_cipher_encrypt_column(c, data, good, 2, data, bad_records, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_column(c, data, good, 2, NULL, good, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(untouched(&col));
    /* An empty column is fine, with or without a data pointer. */
    CHECK_STATUS(privshare_cipher_encrypt_column(c, NULL, empty_offsets, 0, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    if (!untouched(&col)) {
        CHECK(col.count == 0 && col.data_len == 0 && col.offsets != NULL && col.offsets[0] == 0);
        privshare_column_free(&col);
        CHECK(col.data == NULL && col.offsets == NULL && col.count == 0);
        privshare_column_free(&col);
    }
    privshare_column_free(NULL);
    privshare_cipher_free(c);
    privshare_keyset_free(ks);
}

void run_column_tests(void) {
    RUN(randomized_columns_with_and_without_records);
    RUN(garbage_in_a_column_names_its_row);
    RUN(every_scheme_has_columns);
    RUN(fpe_column_errors_name_rows);
    RUN(column_arguments_are_checked);
}
