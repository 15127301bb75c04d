/* Masking, validators and PII scanning through the C ABI: known answers, strict mode, keyed rules on
 * both suites, columns, the repository's mask vectors, NULL arguments and bad JSON. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"

#define LINE_LEN 8192

static const privshare_masker *masker(const char *rule) {
    const privshare_masker *m = NULL;
    privshare_status s = privshare_masker_new(rule, false, NULL, &m, NULL);
    return s == PRIVSHARE_STATUS_OK ? m : NULL;
}

/* Masks `in` with a fresh masker of `rule` and checks the output and whether it parsed. */
static void check_mask(const char *rule, const char *in, const char *expected, int parsed) {
    const privshare_masker *m = masker(rule);
    privshare_buffer out = {NULL, 0};
    bool p = !parsed;
    CHECK(m != NULL);
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)in, strlen(in), NULL, 0, &out, &p, NULL),
                 PRIVSHARE_STATUS_OK);
    if (!buffer_is(&out, expected)) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: '%s' -> '%.*s', expected '%s'", rule, in, (int)out.len,
                 out.data ? (const char *)out.data : "", expected);
        harness_fail(__FILE__, __LINE__, msg);
    }
    CHECK(p == (parsed != 0));
    privshare_buffer_free(&out);
    privshare_masker_free(m);
}

static void known_answers(void) {
    check_mask("{\"rule\":\"mobile\"}", "13812345678", "138****5678", 1);
    check_mask("{\"rule\":\"resident_id\"}", "11010519491231002X", "110105********002X", 1);
    check_mask("{\"rule\":\"name\"}", "\xe6\xac\xa7\xe9\x98\xb3\xe5\xa8\x9c\xe5\xa8\x9c", "\xe6\xac\xa7\xe9\x98\xb3**",
               1); /* 欧阳娜娜 -> 欧阳** */
    check_mask("{\"rule\":\"bank_card\"}", "6222021234567890128", "622202*********0128", 1);
    check_mask("{\"rule\":\"keep_ends\",\"first\":1,\"last\":1}", "13800138000", "1*********0", 1);
    check_mask("{\"rule\":\"bucket\",\"bounds\":[18,35,60]}", "42", "[35,60)", 1);
    /* A value that does not parse is masked completely and reported. */
    check_mask("{\"rule\":\"mobile\"}", "1380013800", "**********", 0);
    check_mask("{\"rule\":\"mobile\"}", "", "", 1);
}

/* A keyed-hash known answer (computed by vectors_to_tsv.py from the documented derivation). */
static void check_keyed(const char *keyset_json, const char *rule, const char *dataset, const char *field,
                        const char *in, const char *expected) {
    privshare_keyset *ks = NULL;
    const privshare_masker *m = NULL;
    privshare_buffer out = {NULL, 0};
    CHECK_STATUS(privshare_keyset_load_insecure_plaintext_json((const uint8_t *)keyset_json, strlen(keyset_json), &ks,
                                                               NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_masker_new_keyed(rule, ks, privshare_keyset_primary_id(ks), dataset, field, false, &m, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)in, strlen(in), NULL, 0, &out, NULL, NULL),
                 PRIVSHARE_STATUS_OK);
    if (!buffer_is(&out, expected)) {
        char msg[256];
        snprintf(msg, sizeof msg, "keyed %s: '%s' -> '%.*s', expected '%s'", rule, in, (int)out.len,
                 out.data ? (const char *)out.data : "", expected);
        harness_fail(__FILE__, __LINE__, msg);
    }
    privshare_buffer_free(&out);
    privshare_masker_free(m);
    privshare_keyset_free(ks);
}

/* The repository's mask vectors (tests/vectors/mask/rules.json), flattened by vectors_to_tsv.py. */
static void repository_vectors(void) {
    const char *path = getenv("PRIVSHARE_VECTORS");
    static char line[LINE_LEN];
    int masks = 0, validations = 0, keyed = 0;
    FILE *f;
    if (path == NULL || (f = fopen(path, "r")) == NULL) {
        harness_fail(__FILE__, __LINE__, "PRIVSHARE_VECTORS must name the flattened vector file");
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *fields[7];
        int n = 0;
        char *p = line;
        line[strcspn(line, "\r\n")] = '\0';
        while (n < 7) {
            fields[n++] = p;
            p = strchr(p, '\t');
            if (p == NULL) break;
            *p++ = '\0';
        }
        if (n == 5 && strcmp(fields[0], "mask") == 0) {
            check_mask(fields[1], fields[2], fields[3], strcmp(fields[4], "1") == 0);
            masks++;
        } else if (n == 4 && strcmp(fields[0], "validate") == 0) {
            bool valid = false;
            CHECK_STATUS(privshare_validate(fields[1], (const uint8_t *)fields[2], strlen(fields[2]), &valid, NULL),
                         PRIVSHARE_STATUS_OK);
            if (valid != (strcmp(fields[3], "1") == 0)) {
                char msg[256];
                snprintf(msg, sizeof msg, "validate %s '%s' gave %d", fields[1], fields[2], (int)valid);
                harness_fail(__FILE__, __LINE__, msg);
            }
            validations++;
        } else if (n == 7 && strcmp(fields[0], "mask_keyed") == 0) {
            check_keyed(fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]);
            keyed++;
        }
    }
    fclose(f);
    CHECK(keyed >= 2); /* AES always; SM too when python3's hashlib has sm3 */
    CHECK(masks >= 50);
    CHECK(validations >= 50);
}

static void into_caller_buffer(void) {
    const privshare_masker *m = masker("{\"rule\":\"mobile\"}");
    uint8_t buf[32];
    size_t len = 0;
    bool parsed = false;
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(privshare_masker_apply_into(m, (const uint8_t *)"13812345678", 11, NULL, 0, buf, 4, &len, &parsed, NULL),
                 PRIVSHARE_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 11 && buf[0] == 'x' && !parsed);
    CHECK_STATUS(
        privshare_masker_apply_into(m, (const uint8_t *)"13812345678", 11, NULL, 0, buf, sizeof buf, &len, &parsed, NULL),
        PRIVSHARE_STATUS_OK);
    CHECK(len == 11 && memcmp(buf, "138****5678", 11) == 0 && parsed);
    /* Empty output needs no buffer at all. */
    CHECK_STATUS(privshare_masker_apply_into(m, NULL, 0, NULL, 0, NULL, 0, &len, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK(len == 0);
    CHECK_FAILS(privshare_masker_apply_into(m, (const uint8_t *)"1", 1, NULL, 0, NULL, 4, &len, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_into(m, (const uint8_t *)"1", 1, NULL, 0, buf, 4, NULL, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    privshare_masker_free(m);
}

static void columns_list_invalid_values(void) {
    const char *const ids[4] = {"11010519491231002X", "oops", "", "440524188001010014"};
    const privshare_masker *m = masker("{\"rule\":\"resident_id\"}");
    uint8_t *data;
    size_t *offsets;
    privshare_column col = {NULL, 0, NULL, 0, NULL, 0};
    privshare_error *err = NULL;
    uint64_t row = 0;
    pack_strings(ids, 4, &data, &offsets);
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == 4 && col.invalid_count == 1 && col.invalid_rows[0] == 1);
    CHECK(column_value_is(&col, 0, "110105********002X"));
    CHECK(column_value_is(&col, 1, "****"));
    CHECK(column_value_is(&col, 2, ""));
    CHECK(column_value_is(&col, 3, "440524********0014"));
    privshare_column_free(&col);
    CHECK(col.invalid_rows == NULL && col.invalid_count == 0);
    /* NULL: the invalid value is empty and listed; KEEP_MARKED: it stays as it was, listed. */
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_NULL, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.invalid_count == 1 && col.invalid_rows[0] == 1 && column_value_is(&col, 1, ""));
    CHECK(column_value_is(&col, 3, "440524********0014"));
    privshare_column_free(&col);
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_KEEP_MARKED, &col,
                                               NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.invalid_count == 1 && col.invalid_rows[0] == 1 && column_value_is(&col, 1, "oops"));
    privshare_column_free(&col);
    /* ERROR overrides the masker's lenient default; an unknown choice is refused. */
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_ERROR, &col, &err),
                 PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK(privshare_error_row(err, &row) && row == 1);
    privshare_error_free(err);
    err = NULL;
    CHECK_FAILS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, 9, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    /* Zero values. */
    CHECK_STATUS(privshare_masker_apply_column(m, NULL, offsets, 0, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == 0 && col.invalid_count == 0);
    privshare_column_free(&col);
    free(data);
    free(offsets);
    privshare_masker_free(m);
}

static void strict_mode_names_row_and_column(void) {
    const char *const phones[3] = {"13800138000", "15012345678", "1380013800"};
    const privshare_masker *m = NULL;
    uint8_t *data;
    size_t *offsets;
    privshare_column col = {NULL, 0, NULL, 0, NULL, 0};
    privshare_buffer out = {NULL, 0};
    privshare_error *err = NULL;
    uint64_t row = 0;
    CHECK_STATUS(privshare_masker_new("{\"rule\":\"mobile\"}", true, "phone", &m, NULL), PRIVSHARE_STATUS_OK);
    pack_strings(phones, 3, &data, &offsets);
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 3, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                 PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK(privshare_error_row(err, &row) && row == 2);
    CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), "phone") == 0);
    /* The message never quotes the value. */
    CHECK(strstr(privshare_error_description(err), "1380013800") == NULL);
    CHECK(col.data == NULL && col.count == 0); /* outputs untouched on failure */
    privshare_error_free(err);
    err = NULL;
    /* One value: no row, but the column. */
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)"123", 3, NULL, 0, &out, NULL, &err),
                 PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK(!privshare_error_row(err, &row));
    CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), "phone") == 0);
    CHECK(out.data == NULL && out.len == 0);
    privshare_error_free(err);
    err = NULL;
    /* Not UTF-8 in strict mode. */
    CHECK_FAILS(privshare_masker_apply(m, (const uint8_t *)"\xff\xfe", 2, NULL, 0, &out, NULL, &err),
                PRIVSHARE_STATUS_NOT_UTF8);
    free(data);
    free(offsets);
    privshare_masker_free(m);
}

/* The hash of `value` under a keyed masker of `ks` for (dataset "ds", `field`). */
static privshare_buffer keyed_hash(const privshare_keyset *ks, const char *field, const char *value) {
    const privshare_masker *m = NULL;
    privshare_buffer out = {NULL, 0};
    CHECK_STATUS(privshare_masker_new_keyed("{\"rule\":\"hash\",\"length\":16}", ks, privshare_keyset_primary_id(ks), "ds", field, false, &m, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)value, strlen(value), NULL, 0, &out, NULL, NULL),
                 PRIVSHARE_STATUS_OK);
    privshare_masker_free(m);
    return out;
}

static int is_lower_hex(const privshare_buffer *b) {
    size_t i;
    for (i = 0; i < b->len; i++)
        if (!((b->data[i] >= '0' && b->data[i] <= '9') || (b->data[i] >= 'a' && b->data[i] <= 'f'))) return 0;
    return 1;
}

static void keyed_hash_on_both_suites(void) {
    privshare_keyset *aes = fixture_keyset(PRIVSHARE_SUITE_AES), *sm = fixture_keyset(PRIVSHARE_SUITE_SM);
    privshare_buffer a1 = keyed_hash(aes, "phone", "13800138000"), a2 = keyed_hash(aes, "phone", "13800138000");
    privshare_buffer s1 = keyed_hash(sm, "phone", "13800138000"), s2 = keyed_hash(sm, "phone", "13800138000");
    privshare_buffer other_field = keyed_hash(aes, "mobile", "13800138000");
    privshare_buffer other_value = keyed_hash(sm, "phone", "13800138001");
    const privshare_masker *m = NULL;
    privshare_buffer out = {NULL, 0};
    CHECK(a1.len == 16 && is_lower_hex(&a1) && s1.len == 16 && is_lower_hex(&s1));
    CHECK(buffers_equal(&a1, &a2) && buffers_equal(&s1, &s2)); /* deterministic: joins still work */
    CHECK(!buffers_equal(&a1, &s1));
    CHECK(!buffers_equal(&a1, &other_field));
    CHECK(!buffers_equal(&s1, &other_value));
    /* A keyed rule without a keyset is refused; date_shift needs a subject. */
    CHECK_FAILS(privshare_masker_new("{\"rule\":\"hash\"}", false, NULL, &m, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(m == NULL);
    CHECK_STATUS(privshare_masker_new_keyed("{\"rule\":\"date_shift\",\"max_days\":30}", sm, privshare_keyset_primary_id(sm), "ds", "birth", false, &m,
                                            NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_masker_apply(m, (const uint8_t *)"1985-07-14", 10, NULL, 0, &out, NULL, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)"1985-07-14", 10, (const uint8_t *)"p1", 2, &out, NULL, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(out.len == 10 && memcmp(out.data, "1985-07-14", 10) != 0 && out.data[4] == '-');
    privshare_buffer_free(&out);
    privshare_masker_free(m);
    privshare_buffer_free(&a1);
    privshare_buffer_free(&a2);
    privshare_buffer_free(&s1);
    privshare_buffer_free(&s2);
    privshare_buffer_free(&other_field);
    privshare_buffer_free(&other_value);
    privshare_keyset_free(aes);
    privshare_keyset_free(sm);
}

static void date_shift_column_moves_one_subject_together(void) {
    const char *const dates[4] = {"2020-01-10", "2020-01-20", "2020-01-10", "2020-01-20"};
    const char *const subjects[4] = {"alice", "alice", "bob", "bob"};
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_masker *m = NULL;
    uint8_t *data, *sdata;
    size_t *offsets, *soffsets;
    privshare_column col = {NULL, 0, NULL, 0, NULL, 0};
    privshare_buffer one = {NULL, 0};
    CHECK_STATUS(privshare_masker_new_keyed("{\"rule\":\"date_shift\"}", ks, privshare_keyset_primary_id(ks), "ds", "visit", false, &m, NULL),
                 PRIVSHARE_STATUS_OK);
    pack_strings(dates, 4, &data, &offsets);
    pack_strings(subjects, 4, &sdata, &soffsets);
    CHECK_STATUS(privshare_masker_apply_column(m, data, offsets, 4, sdata, soffsets, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == 4);
    /* The column agrees with the single-value call for the same subject. */
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)dates[2], 10, (const uint8_t *)"bob", 3, &one, NULL, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(col.count == 4 && one.len == col.offsets[3] - col.offsets[2] &&
          memcmp(one.data, col.data + col.offsets[2], one.len) == 0);
    CHECK(!column_value_is(&col, 0, dates[0]));
    privshare_buffer_free(&one);
    privshare_column_free(&col);
    /* Without subjects: an error naming the first row. */
    CHECK_FAILS(privshare_masker_apply_column(m, data, offsets, 4, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    free(data);
    free(offsets);
    free(sdata);
    free(soffsets);
    privshare_masker_free(m);
    privshare_keyset_free(ks);
}

static void masker_null_arguments_and_bad_json(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_masker *m = NULL, *good = masker("{\"rule\":\"redact\"}");
    privshare_buffer out = {NULL, 0};
    privshare_column col = {NULL, 0, NULL, 0, NULL, 0};
    size_t offsets[2] = {0, 1}, len = 0;
    CHECK_FAILS(privshare_masker_new(NULL, false, NULL, &m, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("{\"rule\":\"redact\"}", false, NULL, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("{\"rule\":", false, NULL, &m, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("{\"rule\":\"no_such_rule\"}", false, NULL, &m, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("{\"rule\":\"bucket\",\"bounds\":[3,1]}", false, NULL, &m, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("{\"rule\":\"regex\",\"pattern\":\"(\"}", false, NULL, &m, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_masker_new("\xff", false, NULL, &m, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK(m == NULL);
    CHECK_FAILS(privshare_masker_new_keyed(NULL, ks, privshare_keyset_primary_id(ks), "ds", "f", false, &m, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", NULL, 1, "ds", "f", false, &m, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", ks, privshare_keyset_primary_id(ks), NULL, "f", false, &m, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", ks, privshare_keyset_primary_id(ks), "ds", NULL, false, &m, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", ks, privshare_keyset_primary_id(ks), "ds", "f", false, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("[]", ks, privshare_keyset_primary_id(ks), "ds", "f", false, &m, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\",\"length\":4}", ks, privshare_keyset_primary_id(ks), "ds", "f", false, &m, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    /* No default key version: 0 names none. */
    CHECK_FAILS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", ks, 0, "ds", "f", false, &m, &err),
                PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK(m == NULL);
    CHECK_FAILS(privshare_masker_apply(NULL, (const uint8_t *)"a", 1, NULL, 0, &out, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply(good, NULL, 1, NULL, 0, &out, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply(good, (const uint8_t *)"a", 1, NULL, 0, NULL, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(out.data == NULL);
    CHECK_FAILS(privshare_masker_apply_into(NULL, (const uint8_t *)"a", 1, NULL, 0, NULL, 0, &len, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_column(NULL, (const uint8_t *)"a", offsets, 1, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_column(good, (const uint8_t *)"a", NULL, 1, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_column(good, NULL, offsets, 1, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_column(good, (const uint8_t *)"a", offsets, 1, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(col.data == NULL && col.count == 0);
    privshare_masker_free(NULL);
    privshare_masker_free(good);
    privshare_keyset_free(ks);
}

/* Issue 15: a length a rule names could panic (2^64 - 1), abort the host process (2^40) or give a
 * gigabyte for one character (10^9); each is now refused when the masker is built. A NULL subject
 * goes only with length 0. */
static void hostile_rules_and_null_with_length(void) {
    static const char *const lengths[3] = {"18446744073709551615", "1099511627776", "1000000000"};
    static const char *const rules[5] = {
        "{\"rule\":\"redact\",\"length\":%s}",        "{\"rule\":\"keep_ends\",\"fixed_length\":%s}",
        "{\"rule\":\"email\",\"mask_length\":%s}",    "{\"rule\":\"address\",\"mask_length\":%s}",
        "{\"rule\":\"name\",\"fixed_length\":%s}",
    };
    const privshare_masker *m = NULL, *good = masker("{\"rule\":\"redact\",\"length\":1024}");
    privshare_buffer out = {NULL, 0};
    uint8_t small[8];
    size_t len = 0, i, j, n = 10 * 1000 * 1000;
    char json[128], *pattern;
    for (i = 0; i < 5; i++) {
        for (j = 0; j < 3; j++) {
            privshare_error *err = NULL;
            snprintf(json, sizeof json, rules[i], lengths[j]);
            CHECK_STATUS(privshare_masker_new(json, false, NULL, &m, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
            CHECK(m == NULL && err != NULL && strstr(privshare_error_message(err), "limit") != NULL);
            privshare_error_free(err);
        }
    }
    /* At the limit: 1024 mask characters for one, through all three apply calls. */
    CHECK_STATUS(privshare_masker_apply(good, (const uint8_t *)"x", 1, NULL, 0, &out, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK(out.len == 1024);
    privshare_buffer_free(&out);
    CHECK_STATUS(privshare_masker_apply_into(good, (const uint8_t *)"x", 1, NULL, 0, small, sizeof small, &len, NULL, NULL),
                 PRIVSHARE_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 1024);
    /* A 10 MB regex (it compiled to 1.26 GB) is refused by its length. */
    pattern = malloc(n + 40);
    CHECK(pattern != NULL);
    if (pattern != NULL) {
        strcpy(pattern, "{\"rule\":\"regex\",\"pattern\":\"");
        memset(pattern + strlen(pattern), 'a', n);
        strcpy(pattern + strlen("{\"rule\":\"regex\",\"pattern\":\"") + n, "\"}");
        CHECK_FAILS(privshare_masker_new(pattern, false, NULL, &m, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
        free(pattern);
    }
    /* NULL with a non-zero length is NULL_ARGUMENT; NULL with 0 is "no subject". */
    CHECK_FAILS(privshare_masker_apply(good, (const uint8_t *)"x", 1, NULL, 5, &out, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_masker_apply_into(good, (const uint8_t *)"x", 1, NULL, 5, small, sizeof small, &len, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(out.data == NULL);
    privshare_masker_free(good);
}

static void validators(void) {
    const char *const values[4] = {"11010519491231002X", "110105194912310021", "", "440524188001010014"};
    uint8_t *data;
    size_t *offsets;
    uint8_t flags[4] = {9, 9, 9, 9};
    bool valid = false;
    CHECK_STATUS(privshare_validate("resident_id", (const uint8_t *)"11010519491231002X", 18, &valid, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(valid);
    CHECK_STATUS(privshare_validate("resident_id", (const uint8_t *)"110105194912310021", 18, &valid, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(!valid);
    CHECK_STATUS(privshare_validate("mobile", (const uint8_t *)"13812345678", 11, &valid, NULL), PRIVSHARE_STATUS_OK);
    CHECK(valid);
    CHECK_STATUS(privshare_validate("bank_card", (const uint8_t *)"4111111111111112", 16, &valid, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(!valid);
    CHECK_STATUS(privshare_validate("uscc", (const uint8_t *)"91350100M000100Y43", 18, &valid, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(valid);
    valid = true;
    CHECK_STATUS(privshare_validate("mobile", (const uint8_t *)"\xff", 1, &valid, NULL), PRIVSHARE_STATUS_OK);
    CHECK(!valid);
    pack_strings(values, 4, &data, &offsets);
    CHECK_STATUS(privshare_validate_column("resident_id", data, offsets, 4, flags, NULL), PRIVSHARE_STATUS_OK);
    CHECK(flags[0] == 1 && flags[1] == 0 && flags[2] == 0 && flags[3] == 1);
    CHECK_STATUS(privshare_validate_column("resident_id", NULL, offsets, 0, NULL, NULL), PRIVSHARE_STATUS_OK);

    valid = true;
    CHECK_FAILS(privshare_validate("no_such_type", (const uint8_t *)"x", 1, &valid, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_validate(NULL, (const uint8_t *)"x", 1, &valid, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_validate("mobile", NULL, 1, &valid, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_validate("mobile", (const uint8_t *)"x", 1, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(valid); /* untouched */
    CHECK_FAILS(privshare_validate_column("no_such_type", data, offsets, 4, flags, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_validate_column(NULL, data, offsets, 4, flags, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_validate_column("mobile", data, NULL, 4, flags, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_validate_column("mobile", data, offsets, 4, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    free(data);
    free(offsets);
}

static const char PLANTED_CSV[] =
    "city,phone,id_number,note\n"
    "Beijing,13800138000,110105198001011238,a\n"
    "Shanghai,15012345678,440524198001011235,b\n"
    "Shenzhen,18612345678,31010119800101123X,c\n"
    "Nanjing,13912345678,320102198001011238,d\n"
    "Wuhan,13812345678,11010519491231002X,e\n";

/* True when the report's column named `name` has `"detected":expected` (expected is a JSON value). */
static int detected_as(const privshare_buffer *report, const char *name, const char *expected) {
    char key[128], want[128], *text, *at, *det;
    int ok;
    text = malloc(report->len + 1);
    if (text == NULL) exit(2);
    memcpy(text, report->data, report->len);
    text[report->len] = '\0';
    snprintf(key, sizeof key, "\"name\":\"%s\"", name);
    snprintf(want, sizeof want, "\"detected\":%s", expected);
    at = strstr(text, key);
    det = at ? strstr(at, "\"detected\":") : NULL;
    ok = det != NULL && strncmp(det, want, strlen(want)) == 0;
    free(text);
    return ok;
}

static void scan_finds_planted_columns(void) {
    const char *opts = "{\"min_values\":3}";
    privshare_buffer report = {NULL, 0}, from_file = {NULL, 0};
    char path[] = "/tmp/privshare-scan-XXXXXX";
    FILE *f;
    int fd;
    CHECK_STATUS(privshare_scan_csv((const uint8_t *)PLANTED_CSV, strlen(PLANTED_CSV), opts, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(report.len > 0 && report.data[0] == '{');
    CHECK(detected_as(&report, "phone", "\"mobile\""));
    CHECK(detected_as(&report, "id_number", "\"resident_id\""));
    CHECK(detected_as(&report, "city", "null"));
    CHECK(detected_as(&report, "note", "null"));

    /* The same from a file. */
    fd = mkstemp(path);
    CHECK(fd >= 0);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f != NULL) {
        fwrite(PLANTED_CSV, 1, strlen(PLANTED_CSV), f);
        fclose(f);
        CHECK_STATUS(privshare_scan_csv_path(path, opts, &from_file, NULL), PRIVSHARE_STATUS_OK);
        CHECK(buffers_equal(&report, &from_file));
        remove(path);
    }
    privshare_buffer_free(&from_file);
    /* Default options: five rows are too few to detect anything. */
    privshare_buffer_free(&report);
    CHECK_STATUS(privshare_scan_csv((const uint8_t *)PLANTED_CSV, strlen(PLANTED_CSV), NULL, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(detected_as(&report, "phone", "null"));
    privshare_buffer_free(&report);
}

static void scan_errors(void) {
    privshare_buffer report = {NULL, 0};
    CHECK_FAILS(privshare_scan_csv(NULL, 5, NULL, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv((const uint8_t *)"a\n1\n", 4, NULL, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv((const uint8_t *)"a\n1\n", 4, "{", &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv((const uint8_t *)"a\n1\n", 4, "{\"no_such_option\":1}", &report, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv_path(NULL, NULL, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv_path("/tmp/x.csv", NULL, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_scan_csv_path("/nonexistent/privshare/none.csv", NULL, &report, &err), PRIVSHARE_STATUS_IO);
    CHECK_FAILS(privshare_scan_csv_path("/tmp/x.csv", "{\"sample_rows\":\"many\"}", &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(report.data == NULL && report.len == 0);
}

struct masker_worker {
    const privshare_masker *m;
    const privshare_buffer *reference; /* the hash of "13800138000", made before the threads */
    int failures;
};

static void *mask_work(void *arg) {
    struct masker_worker *w = arg;
    const char *const values[3] = {"13800138000", "x", "13800138000"};
    uint8_t *data;
    size_t *offsets;
    int round;
    pack_strings(values, 3, &data, &offsets);
    for (round = 0; round < 25; round++) {
        privshare_buffer one = {NULL, 0};
        privshare_column col = {NULL, 0, NULL, 0, NULL, 0};
        if (privshare_masker_apply(w->m, (const uint8_t *)values[0], 11, NULL, 0, &one, NULL, NULL) != 0 ||
            !buffers_equal(&one, w->reference))
            w->failures++;
        if (privshare_masker_apply_column(w->m, data, offsets, 3, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &col, NULL) != 0 ||
            col.count != 3 || col.offsets[1] - col.offsets[0] != w->reference->len ||
            memcmp(col.data + col.offsets[2], w->reference->data, w->reference->len) != 0)
            w->failures++;
        privshare_buffer_free(&one);
        privshare_column_free(&col);
    }
    free(data);
    free(offsets);
    return NULL;
}

static void one_masker_from_many_threads(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_SM);
    const privshare_masker *m = NULL;
    privshare_buffer reference = {NULL, 0};
    struct masker_worker workers[4];
    pthread_t threads[4];
    int i, started = 0;
    CHECK_STATUS(privshare_masker_new_keyed("{\"rule\":\"hash\"}", ks, privshare_keyset_primary_id(ks), "ds", "phone", false, &m, NULL),
                 PRIVSHARE_STATUS_OK);
    privshare_keyset_free(ks); /* the masker holds its own derived key */
    CHECK_STATUS(privshare_masker_apply(m, (const uint8_t *)"13800138000", 11, NULL, 0, &reference, NULL, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(reference.len == 64);
    for (i = 0; i < 4; i++) {
        workers[i].m = m;
        workers[i].reference = &reference;
        workers[i].failures = 0;
        if (pthread_create(&threads[i], NULL, mask_work, &workers[i]) == 0) started++;
    }
    CHECK(started == 4);
    for (i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].failures == 0);
    }
    privshare_buffer_free(&reference);
    privshare_masker_free(m);
}

void run_mask_tests(void) {
    RUN(known_answers);
    RUN(repository_vectors);
    RUN(into_caller_buffer);
    RUN(columns_list_invalid_values);
    RUN(strict_mode_names_row_and_column);
    RUN(keyed_hash_on_both_suites);
    RUN(date_shift_column_moves_one_subject_together);
    RUN(masker_null_arguments_and_bad_json);
    RUN(hostile_rules_and_null_with_length);
    RUN(validators);
    RUN(scan_finds_planted_columns);
    RUN(scan_errors);
    RUN(one_masker_from_many_threads);
}
