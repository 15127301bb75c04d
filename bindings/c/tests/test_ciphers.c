/* Field ciphers, one value at a time: every scheme, both output styles, every error path. */
#include <stdlib.h>

#include "harness.h"

#define S(str) (const uint8_t *)(str), strlen(str)

/* Encrypts and decrypts `value` with `c` (record optional) and checks the round trip. Returns the
 * ciphertext (caller frees). */
static privshare_buffer round_trip(const privshare_cipher *c, const char *record, const char *value) {
    privshare_buffer ct = {NULL, 0}, pt = {NULL, 0};
    const uint8_t *rec = (const uint8_t *)record;
    size_t rec_len = record ? strlen(record) : 0;
    CHECK_STATUS(privshare_cipher_encrypt(c, rec, rec_len, S(value), &ct, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_decrypt(c, rec, rec_len, ct.data, ct.len, &pt, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&pt, value));
    privshare_buffer_free(&pt);
    return ct;
}

static int all_digits(const privshare_buffer *b) {
    size_t i;
    for (i = 0; i < b->len; i++)
        if (b->data[i] < '0' || b->data[i] > '9') return 0;
    return 1;
}

static int luhn_valid(const privshare_buffer *b) {
    int sum = 0, dbl = 0;
    size_t i = b->len;
    while (i-- > 0) {
        int d = b->data[i] - '0';
        if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        dbl = !dbl;
    }
    return sum % 10 == 0;
}

static void randomized_text_and_binary(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *text = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_TEXT);
    const privshare_cipher *bin = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_BINARY);
    privshare_buffer a, b, e;
    CHECK(text != NULL && bin != NULL);
    CHECK(privshare_cipher_scheme(text) == PRIVSHARE_SCHEME_RANDOMIZED);
    CHECK(privshare_cipher_key_id(text) == privshare_keyset_primary_id(ks));
    CHECK(privshare_cipher_binds_record(text) && !privshare_cipher_binds_record(NULL));
    a = round_trip(text, NULL, "Zhang San");
    b = round_trip(text, NULL, "Zhang San");
    CHECK(a.len > 4 && memcmp(a.data, "ps1:", 4) == 0);
    CHECK(!buffers_equal(&a, &b)); /* fresh nonce each time */
    privshare_buffer_free(&a);
    privshare_buffer_free(&b);
    a = round_trip(bin, NULL, "Zhang San");
    CHECK(a.len > strlen("Zhang San"));
    privshare_buffer_free(&a);
    e = round_trip(bin, NULL, ""); /* empty plaintext: NULL data, length 0 */
    privshare_buffer_free(&e);
    CHECK_STATUS(privshare_cipher_encrypt(bin, NULL, 0, NULL, 0, &e, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&e);
    privshare_cipher_free(text);
    privshare_cipher_free(bin);
    privshare_keyset_free(ks);
}

static void randomized_sm_suite(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_SM);
    const privshare_cipher *c = fixture_randomized(ks, "name", PRIVSHARE_ENCODING_TEXT);
    privshare_buffer a;
    CHECK(c != NULL);
    a = round_trip(c, "row-1", "Li Si");
    privshare_buffer_free(&a);
    privshare_cipher_free(c);
    privshare_keyset_free(ks);
}

static void randomized_rejects_tampering_and_wrong_context(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES), *other = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_BINARY);
    const privshare_cipher *t = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    const privshare_cipher *other_field = fixture_randomized(ks, "g", PRIVSHARE_ENCODING_BINARY);
    const privshare_cipher *other_keys = fixture_randomized(other, "f", PRIVSHARE_ENCODING_BINARY);
    privshare_buffer ct = round_trip(c, "r1", "secret"), pt = {NULL, 0};
    privshare_error *err = NULL;

    CHECK_FAILS(privshare_cipher_decrypt(c, S("r2"), ct.data, ct.len, &pt, &err), PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, ct.data, ct.len, &pt, &err), PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK_FAILS(privshare_cipher_decrypt(other_field, S("r1"), ct.data, ct.len, &pt, &err),
                PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    /* Another keyset does not know the key id (or, by chance, fails authentication). */
    {
        privshare_status s = privshare_cipher_decrypt(other_keys, S("r1"), ct.data, ct.len, &pt, &err);
        CHECK(s == PRIVSHARE_STATUS_UNKNOWN_KEY || s == PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
        CHECK(privshare_error_code(err) == s);
        privshare_error_free(err);
        err = NULL;
    }
    if (ct.len > 0) ct.data[ct.len - 1] ^= 1; /* flip a tag bit */
    CHECK_FAILS(privshare_cipher_decrypt(c, S("r1"), ct.data, ct.len, &pt, &err), PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK_FAILS(privshare_cipher_decrypt(c, S("r1"), ct.data, 3, &pt, &err), PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, NULL, 0, &pt, &err), PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK_FAILS(privshare_cipher_decrypt(t, NULL, 0, S("not a ciphertext"), &pt, &err),
                PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK_FAILS(privshare_cipher_decrypt(t, NULL, 0, S("ps1:!!!!"), &pt, &err), PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK_FAILS(privshare_cipher_decrypt(t, NULL, 0, S("ps1:\xff\xfe"), &pt, &err),
                PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK(pt.data == NULL && pt.len == 0);
    privshare_buffer_free(&ct);
    privshare_cipher_free(c);
    privshare_cipher_free(t);
    privshare_cipher_free(other_field);
    privshare_cipher_free(other_keys);
    privshare_keyset_free(ks);
    privshare_keyset_free(other);
}

static void deterministic_is_stable_and_refuses_records(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = NULL, *sm = NULL;
    privshare_keyset *sm_ks = fixture_keyset(PRIVSHARE_SUITE_SM);
    privshare_buffer a, b, out = {NULL, 0};
    CHECK_STATUS(privshare_cipher_new_deterministic(ks, "ds", "email", PRIVSHARE_ENCODING_TEXT, &c, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(privshare_cipher_scheme(c) == PRIVSHARE_SCHEME_DETERMINISTIC);
    a = round_trip(c, NULL, "a@example.org");
    b = round_trip(c, NULL, "a@example.org");
    CHECK(a.len > 0 && buffers_equal(&a, &b));
    CHECK_FAILS(privshare_cipher_encrypt(c, S("r"), S("x"), &out, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    /* A NULL record goes only with length 0: with a length it is a NULL argument, not "none". */
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 3, S("x"), &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 3, a.data, a.len, &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    {
        uint8_t buf[256];
        size_t len = 0;
        CHECK_FAILS(privshare_cipher_encrypt_into(c, NULL, 1, S("x"), buf, sizeof buf, &len, &err),
                    PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK_FAILS(privshare_cipher_decrypt_into(c, NULL, 1, a.data, a.len, buf, sizeof buf, &len, &err),
                    PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK(len == 0);
    }
    CHECK(out.data == NULL);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, S("ps1:@@@@"), &out, &err), PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    if (a.len > 2) a.data[a.len - 2] = a.data[a.len - 2] == 'A' ? 'B' : 'A';
    {
        privshare_error *err = NULL;
        privshare_status s = privshare_cipher_decrypt(c, NULL, 0, a.data, a.len, &out, &err);
        CHECK(s == PRIVSHARE_STATUS_AUTHENTICATION_FAILED || s == PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
        privshare_error_free(err);
    }
    CHECK_STATUS(privshare_cipher_new_deterministic(sm_ks, "ds", "email", PRIVSHARE_ENCODING_BINARY, &sm, NULL),
                 PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&b);
    b = round_trip(sm, NULL, "a@example.org");
    privshare_buffer_free(&a);
    privshare_buffer_free(&b);
    privshare_cipher_free(c);
    privshare_cipher_free(sm);
    privshare_keyset_free(ks);
    privshare_keyset_free(sm_ks);
}

static void ff1_preserves_format(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = NULL, *alnum = NULL;
    privshare_buffer ct, out = {NULL, 0};
    privshare_error *err = NULL;
    uint64_t offset = 0;
    CHECK_STATUS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), "ds", "account", "0123456789", &c, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_cipher_scheme(c) == PRIVSHARE_SCHEME_FF1);
    CHECK(privshare_cipher_key_id(c) == privshare_keyset_primary_id(ks));
    ct = round_trip(c, NULL, "4000123456789");
    CHECK(ct.len == 13 && all_digits(&ct));
    privshare_buffer_free(&ct);
    CHECK_STATUS(privshare_cipher_encrypt(c, NULL, 0, S("12345x7890"), &out, &err), PRIVSHARE_STATUS_OUTSIDE_ALPHABET);
    CHECK(privshare_error_offset(err, &offset) && offset == 5);
    privshare_error_free(err);
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 0, S(""), &out, &err), PRIVSHARE_STATUS_EMPTY_VALUE);
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 0, S("123"), &out, &err), PRIVSHARE_STATUS_DOMAIN_TOO_SMALL);
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 0, S("12345\xff"), &out, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, S("12345\xff"), &out, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_cipher_encrypt(c, S("r"), S("1234567"), &out, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(out.data == NULL);
    CHECK_STATUS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), "ds", "code",
                                          "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", &alnum, NULL),
                 PRIVSHARE_STATUS_OK);
    ct = round_trip(alnum, NULL, "Ab3dE9");
    CHECK(ct.len == 6);
    privshare_buffer_free(&ct);
    privshare_cipher_free(c);
    privshare_cipher_free(alnum);
    privshare_keyset_free(ks);
}

static void structured_identifiers_stay_valid(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *rid = NULL, *rid_range = NULL, *mob = NULL, *card = NULL;
    privshare_date_range range = {1940, 1, 1, 2000, 12, 31};
    privshare_buffer ct, out = {NULL, 0};
    CHECK_STATUS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), "ds", "id", births(), &rid, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), "ds", "id", &range, &rid_range, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), "ds", "phone", &mob, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_bank_card(ks, privshare_keyset_primary_id(ks), "ds", "card", &card, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_cipher_scheme(rid) == PRIVSHARE_SCHEME_RESIDENT_ID);
    CHECK(privshare_cipher_scheme(mob) == PRIVSHARE_SCHEME_MOBILE);
    CHECK(privshare_cipher_scheme(card) == PRIVSHARE_SCHEME_BANK_CARD);

    ct = round_trip(rid, NULL, "11010519491231002X");
    CHECK(ct.len == 18 && memcmp(ct.data, "110105", 6) == 0);
    privshare_buffer_free(&ct);
    ct = round_trip(rid_range, NULL, "11010519491231002X");
    CHECK(ct.len == 18 && (memcmp(ct.data + 6, "19", 2) == 0 || memcmp(ct.data + 6, "2000", 4) == 0));
    privshare_buffer_free(&ct);
    CHECK_FAILS(privshare_cipher_encrypt(rid, NULL, 0, S("110105194912310021"), &out, &err),
                PRIVSHARE_STATUS_INVALID_IDENTIFIER);

    ct = round_trip(mob, NULL, "13800138000");
    CHECK(ct.len == 11 && memcmp(ct.data, "138", 3) == 0 && all_digits(&ct));
    privshare_buffer_free(&ct);
    CHECK_FAILS(privshare_cipher_encrypt(mob, NULL, 0, S("12345"), &out, &err), PRIVSHARE_STATUS_INVALID_IDENTIFIER);

    ct = round_trip(card, NULL, "4111111111111111");
    CHECK(ct.len == 16 && memcmp(ct.data, "411111", 6) == 0 && all_digits(&ct) && luhn_valid(&ct));
    privshare_buffer_free(&ct);
    CHECK_FAILS(privshare_cipher_encrypt(card, NULL, 0, S("4111111111111112"), &out, &err),
                PRIVSHARE_STATUS_INVALID_IDENTIFIER);
    CHECK_FAILS(privshare_cipher_encrypt(card, NULL, 0, S(""), &out, &err), PRIVSHARE_STATUS_EMPTY_VALUE);
    CHECK(out.data == NULL);
    privshare_cipher_free(rid);
    privshare_cipher_free(rid_range);
    privshare_cipher_free(mob);
    privshare_cipher_free(card);
    privshare_keyset_free(ks);
}

static void tokens_are_stable_per_purpose_and_one_way(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *text = NULL, *bin = NULL, *other = NULL;
    privshare_buffer a = {NULL, 0}, b = {NULL, 0}, c = {NULL, 0}, raw = {NULL, 0};
    CHECK_STATUS(privshare_cipher_new_token(ks, 0, "link-2026", PRIVSHARE_ENCODING_TEXT, &text, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_token(ks, 0, "link-2026", PRIVSHARE_ENCODING_BINARY, &bin, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_token(ks, 0, "other", PRIVSHARE_ENCODING_TEXT, &other, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_cipher_scheme(text) == PRIVSHARE_SCHEME_TOKEN);
    CHECK_STATUS(privshare_cipher_encrypt(text, NULL, 0, S("110105"), &a, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt(text, NULL, 0, S("110105"), &b, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt(other, NULL, 0, S("110105"), &c, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt(bin, NULL, 0, S("110105"), &raw, NULL), PRIVSHARE_STATUS_OK);
    CHECK(a.len > 0 && buffers_equal(&a, &b));
    CHECK(!buffers_equal(&a, &c));
    CHECK(raw.len == 32);
    {
        privshare_buffer out = {NULL, 0};
        CHECK_FAILS(privshare_cipher_decrypt(text, NULL, 0, a.data, a.len, &out, &err),
                    PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK_FAILS(privshare_cipher_encrypt(text, S("r"), S("x"), &out, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    }
    privshare_buffer_free(&a);
    privshare_buffer_free(&b);
    privshare_buffer_free(&c);
    privshare_buffer_free(&raw);
    privshare_cipher_free(text);
    privshare_cipher_free(bin);
    privshare_cipher_free(other);
    privshare_keyset_free(ks);
}

static void versions_can_be_named(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    uint32_t first = privshare_keyset_primary_id(ks), unknown;
    const privshare_cipher *old_ff1 = NULL, *new_ff1 = NULL, *c = NULL;
    privshare_buffer a = {NULL, 0}, b = {NULL, 0}, b2 = {NULL, 0}, wrong = {NULL, 0};
    CHECK_STATUS(privshare_cipher_new_ff1(ks, first, "ds", "n", "0123456789", &old_ff1, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_AES, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_ff1(ks, first, "ds", "n", "0123456789", &new_ff1, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_cipher_key_id(new_ff1) == first && !privshare_cipher_binds_record(new_ff1));
    CHECK_STATUS(privshare_cipher_encrypt(old_ff1, NULL, 0, S("1234567890"), &a, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt(new_ff1, NULL, 0, S("1234567890"), &b, NULL), PRIVSHARE_STATUS_OK);
    CHECK(a.len > 0 && buffers_equal(&a, &b));
    unknown = first ^ privshare_keyset_primary_id(ks);
    if (unknown == 0 || unknown == first || unknown == privshare_keyset_primary_id(ks)) unknown = 1;
    CHECK_FAILS(privshare_cipher_new_ff1(ks, unknown, "ds", "n", "0123456789", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_mobile(ks, unknown, "ds", "n", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_bank_card(ks, unknown, "ds", "n", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, unknown, "ds", "n", births(), &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_token(ks, unknown, "p", PRIVSHARE_ENCODING_TEXT, &c, &err),
                PRIVSHARE_STATUS_UNKNOWN_KEY);
    /* No default version for format-preserving ciphers: 0 names no key. */
    CHECK_FAILS(privshare_cipher_new_ff1(ks, 0, "ds", "n", "0123456789", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_mobile(ks, 0, "ds", "n", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_bank_card(ks, 0, "ds", "n", &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, 0, "ds", "n", births(), &c, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK(c == NULL);
    /* After the rotation, the version recorded at encryption decrypts; the new primary does not. */
    CHECK_STATUS(privshare_cipher_decrypt(new_ff1, NULL, 0, a.data, a.len, &b2, NULL), PRIVSHARE_STATUS_OK);
    CHECK(b2.len == 10 && memcmp(b2.data, "1234567890", 10) == 0);
    CHECK_STATUS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), "ds", "n", "0123456789", &c, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_decrypt(c, NULL, 0, a.data, a.len, &wrong, NULL), PRIVSHARE_STATUS_OK);
    CHECK(wrong.len == 10 && memcmp(wrong.data, "1234567890", 10) != 0);
    privshare_cipher_free(c);
    privshare_buffer_free(&b2);
    privshare_buffer_free(&wrong);
    privshare_buffer_free(&a);
    privshare_buffer_free(&b);
    privshare_cipher_free(old_ff1);
    privshare_cipher_free(new_ff1);
    privshare_keyset_free(ks);
}

static void constructors_reject_bad_arguments(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = NULL;
    privshare_date_range bad_range = {2000, 1, 1, 1990, 1, 1};
    const char *bad_utf8 = "\xc3\x28";
    const char *t = "t";
    CHECK_FAILS(privshare_cipher_new_randomized(NULL, t, t, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_randomized(ks, NULL, t, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_randomized(ks, t, NULL, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_randomized(ks, t, t, 0, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_randomized(ks, t, t, 7, &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_randomized(ks, bad_utf8, t, 0, &c, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_cipher_new_deterministic(NULL, t, t, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_deterministic(ks, t, NULL, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_deterministic(ks, t, t, 2, &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_deterministic(ks, t, t, 0, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_ff1(NULL, 0, t, t, "0123456789", &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), t, t, NULL, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), t, t, "a", &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), t, t, "0120", &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), t, t, bad_utf8, &c, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), t, t, "0123456789", NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_resident_id(NULL, 0, t, t, births(), &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    /* No default birth-date range. */
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), t, t, NULL, &c, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), NULL, t, births(), &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), t, t, &bad_range, &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), t, t, births(), NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_mobile(NULL, 0, t, t, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), t, NULL, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), t, t, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_bank_card(NULL, 0, t, t, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_bank_card(ks, privshare_keyset_primary_id(ks), NULL, t, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_bank_card(ks, privshare_keyset_primary_id(ks), t, t, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_token(NULL, 0, t, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_token(ks, 0, NULL, 0, &c, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_token(ks, 0, t, 9, &c, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_token(ks, 0, t, 0, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(c == NULL);
    CHECK(privshare_cipher_scheme(NULL) == 0);
    CHECK(privshare_cipher_key_id(NULL) == 0);
    privshare_cipher_free(NULL);
    privshare_keyset_free(ks);
}

static void single_value_calls_check_pointers(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    privshare_buffer out = {NULL, 0};
    uint8_t buf[8];
    size_t len = 0;
    CHECK_FAILS(privshare_cipher_encrypt(NULL, NULL, 0, S("x"), &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 0, NULL, 3, &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt(c, (const uint8_t *)"r", 0, NULL, 3, &out, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt(c, NULL, 0, S("x"), NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt(NULL, NULL, 0, S("x"), &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, NULL, 3, &out, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt(c, NULL, 0, S("x"), NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_into(NULL, NULL, 0, S("x"), buf, sizeof buf, &len, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_into(c, NULL, 0, NULL, 1, buf, sizeof buf, &len, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_encrypt_into(c, NULL, 0, S("x"), buf, sizeof buf, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt_into(NULL, NULL, 0, S("x"), buf, sizeof buf, &len, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_cipher_decrypt_into(c, NULL, 0, S("x"), buf, sizeof buf, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(out.data == NULL && len == 0);
    privshare_buffer_free(NULL);
    privshare_buffer_free(&out);
    privshare_cipher_free(c);
    privshare_keyset_free(ks);
}

static void caller_buffers(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    const privshare_cipher *m = NULL;
    uint8_t ct[256], pt[64], small[4];
    size_t ct_len = 0, pt_len = 0, needed = 0, i;
    privshare_error *err = NULL;
    memset(small, 0xAA, sizeof small);
    /* Too small: the status says so, *out_len holds the size needed, the buffer is untouched. */
    CHECK_STATUS(privshare_cipher_encrypt_into(c, NULL, 0, S("hello"), small, sizeof small, &needed, &err),
                 PRIVSHARE_STATUS_BUFFER_TOO_SMALL);
    CHECK(privshare_error_code(err) == PRIVSHARE_STATUS_BUFFER_TOO_SMALL);
    privshare_error_free(err);
    err = NULL;
    for (i = 0; i < sizeof small; i++) CHECK(small[i] == 0xAA);
    CHECK(needed > sizeof small && needed <= sizeof ct);
    /* Exactly the size needed works. */
    CHECK_STATUS(privshare_cipher_encrypt_into(c, NULL, 0, S("hello"), ct, needed, &ct_len, NULL), PRIVSHARE_STATUS_OK);
    CHECK(ct_len == needed);
    CHECK_STATUS(privshare_cipher_decrypt_into(c, NULL, 0, ct, ct_len, small, sizeof small, &needed, NULL),
                 PRIVSHARE_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed == 5);
    CHECK_STATUS(privshare_cipher_decrypt_into(c, NULL, 0, ct, ct_len, pt, sizeof pt, &pt_len, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(pt_len == 5 && memcmp(pt, "hello", 5) == 0);
    /* NULL output with room claimed: refused. An empty result needs no buffer at all. */
    CHECK_FAILS(privshare_cipher_encrypt_into(c, NULL, 0, S("hello"), NULL, 100, &ct_len, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(privshare_cipher_encrypt_into(c, NULL, 0, S(""), ct, sizeof ct, &ct_len, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_decrypt_into(c, NULL, 0, ct, ct_len, NULL, 0, &pt_len, NULL), PRIVSHARE_STATUS_OK);
    CHECK(pt_len == 0);
    /* Failures of the operation itself come before any size question. */
    CHECK_FAILS(privshare_cipher_decrypt_into(c, NULL, 0, S("garbage"), pt, sizeof pt, &pt_len, &err),
                PRIVSHARE_STATUS_MALFORMED_CIPHERTEXT);
    CHECK_STATUS(privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), "ds", "phone", &m, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_encrypt_into(m, NULL, 0, S("13800138000"), ct, sizeof ct, &ct_len, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(ct_len == 11);
    CHECK_STATUS(privshare_cipher_decrypt_into(m, NULL, 0, ct, ct_len, pt, sizeof pt, &pt_len, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(pt_len == 11 && memcmp(pt, "13800138000", 11) == 0);
    privshare_cipher_free(c);
    privshare_cipher_free(m);
    privshare_keyset_free(ks);
}

/* Padded ciphers: lengths fall in the promised buckets, and any cipher of the field decrypts them. */
static void padding_hides_lengths_in_buckets(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *block = NULL, *padme = NULL, *plain = NULL;
    privshare_buffer e, a, b, p, out = {NULL, 0};
    const char *v31 = "0123456789012345678901234567890", *v32 = "01234567890123456789012345678901";
    CHECK_STATUS(privshare_cipher_new_randomized_padded(ks, "test-dataset", "note", PRIVSHARE_ENCODING_BINARY,
                                                        "block:32", &block, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_cipher_new_deterministic_padded(ks, "ds", "note", PRIVSHARE_ENCODING_BINARY, "padme",
                                                           &padme, NULL),
                 PRIVSHARE_STATUS_OK);
    plain = fixture_randomized(ks, "note", PRIVSHARE_ENCODING_BINARY);
    CHECK(block != NULL && padme != NULL && plain != NULL);
    e = round_trip(block, "r1", "");
    a = round_trip(block, "r1", v31);
    b = round_trip(block, "r1", v32);
    CHECK(e.len == a.len && b.len == a.len + 32);
    p = round_trip(plain, "r1", v31);
    CHECK(p.len < a.len); /* unpadded: value + overhead */
    /* An unpadded cipher of the same field opens padded ciphertexts. */
    CHECK_STATUS(privshare_cipher_decrypt(plain, S("r1"), a.data, a.len, &out, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&out, v31));
    privshare_buffer_free(&out);
    privshare_buffer_free(&e);
    privshare_buffer_free(&a);
    privshare_buffer_free(&b);
    privshare_buffer_free(&p);
    /* Padme keeps short values exact and rounds long ones: 1000 bytes + marker to 1024. */
    {
        char *long_value = malloc(1001);
        CHECK(long_value != NULL);
        memset(long_value, 'x', 1000);
        long_value[1000] = '\0';
        a = round_trip(padme, NULL, long_value);
        b = round_trip(padme, NULL, "x");
        CHECK(a.len - b.len == 1024 - 2);
        privshare_buffer_free(&a);
        privshare_buffer_free(&b);
        free(long_value);
    }
    CHECK_FAILS(privshare_cipher_new_randomized_padded(ks, "ds", "note", PRIVSHARE_ENCODING_TEXT, "block:1", &plain,
                                                       &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_cipher_new_deterministic_padded(ks, "ds", "note", PRIVSHARE_ENCODING_TEXT, NULL, &plain,
                                                          &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    privshare_cipher_free(block);
    privshare_cipher_free(padme);
    privshare_cipher_free(plain);
    privshare_keyset_free(ks);
}

static void ciphers_outlive_their_keyset(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    privshare_buffer ct;
    privshare_keyset_free(ks);
    ct = round_trip(c, NULL, "still works");
    privshare_buffer_free(&ct);
    privshare_cipher_free(c);
}

void run_cipher_tests(void) {
    RUN(randomized_text_and_binary);
    RUN(randomized_sm_suite);
    RUN(randomized_rejects_tampering_and_wrong_context);
    RUN(deterministic_is_stable_and_refuses_records);
    RUN(ff1_preserves_format);
    RUN(structured_identifiers_stay_valid);
    RUN(tokens_are_stable_per_purpose_and_one_way);
    RUN(versions_can_be_named);
    RUN(constructors_reject_bad_arguments);
    RUN(single_value_calls_check_pointers);
    RUN(caller_buffers);
    RUN(padding_hides_lengths_in_buckets);
    RUN(ciphers_outlive_their_keyset);
}
