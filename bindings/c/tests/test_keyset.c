/* Keysets: generate, rotate, save and load with a KEK or a passphrase, and every error path. */
#include <stdlib.h>

#include "harness.h"

static const uint8_t KEK[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t OTHER_KEK[32] = {32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
                                      16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

static void generate_both_suites(void) {
    uint32_t suites[2] = {PRIVSHARE_SUITE_AES, PRIVSHARE_SUITE_SM};
    int i;
    for (i = 0; i < 2; i++) {
        privshare_keyset *ks = NULL;
        CHECK_STATUS(privshare_keyset_generate(suites[i], &ks, NULL), PRIVSHARE_STATUS_OK);
        CHECK(ks != NULL);
        CHECK(privshare_keyset_primary_id(ks) != 0);
        CHECK(privshare_keyset_primary_suite(ks) == suites[i]);
        CHECK(privshare_keyset_version_count(ks) == 1);
        privshare_keyset_free(ks);
    }
}

static void generate_rejects_bad_arguments(void) {
    privshare_keyset *ks = NULL;
    CHECK_FAILS(privshare_keyset_generate(0, &ks, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_keyset_generate(3, &ks, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_keyset_generate(257, &ks, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_keyset_generate(PRIVSHARE_SUITE_AES, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(ks == NULL); /* outputs are written only on success */
}

static void null_keyset_accessors_and_free(void) {
    CHECK(privshare_keyset_generation(NULL) == 0);
    CHECK(privshare_keyset_primary_id(NULL) == 0);
    CHECK(privshare_keyset_primary_suite(NULL) == 0);
    CHECK(privshare_keyset_version_count(NULL) == 0);
    privshare_keyset_free(NULL);
}

static void rotate_adds_a_primary_and_old_ciphertexts_still_decrypt(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    uint32_t first = privshare_keyset_primary_id(ks), second = 0;
    const privshare_cipher *before = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT), *after = NULL;
    privshare_buffer ct = {NULL, 0}, pt = {NULL, 0};
    CHECK(before != NULL);
    CHECK_STATUS(privshare_cipher_encrypt(before, NULL, 0, (const uint8_t *)"old", 3, &ct, NULL), PRIVSHARE_STATUS_OK);

    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_SM, &second, NULL), PRIVSHARE_STATUS_OK);
    CHECK(second != 0 && second != first);
    CHECK(privshare_keyset_primary_id(ks) == second);
    CHECK(privshare_keyset_primary_suite(ks) == PRIVSHARE_SUITE_SM);
    CHECK(privshare_keyset_version_count(ks) == 2);
    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_AES, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_version_count(ks) == 3);

    after = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_TEXT);
    CHECK(after != NULL);
    CHECK(privshare_cipher_key_id(before) == first);
    CHECK(privshare_cipher_key_id(after) == privshare_keyset_primary_id(ks));
    CHECK_STATUS(privshare_cipher_decrypt(after, NULL, 0, ct.data, ct.len, &pt, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&pt, "old"));

    CHECK_FAILS(privshare_keyset_rotate(NULL, PRIVSHARE_SUITE_AES, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_rotate(ks, 0, NULL, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(privshare_keyset_version_count(ks) == 3);

    privshare_buffer_free(&ct);
    privshare_buffer_free(&pt);
    privshare_cipher_free(before);
    privshare_cipher_free(after);
    privshare_keyset_free(ks);
}

static void other_id(uint32_t *id, uint32_t a, uint32_t b) {
    *id = 12345;
    while (*id == a || *id == b) (*id)++;
}

/* Status of decrypting `ct` with a fresh randomized cipher of `ks` (field "f", binary). */
static privshare_status decrypt_status(const privshare_keyset *ks, const privshare_buffer *ct) {
    privshare_buffer pt = {NULL, 0};
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_BINARY);
    privshare_status s = privshare_cipher_decrypt(c, NULL, 0, ct->data, ct->len, &pt, NULL);
    privshare_buffer_free(&pt);
    privshare_cipher_free(c);
    return s;
}

static privshare_buffer encrypt_x(const privshare_keyset *ks);

static void disable_enable_destroy_set_primary(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    uint32_t first = privshare_keyset_primary_id(ks), second = 0, unknown;
    privshare_buffer ct = encrypt_x(ks);
    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_AES, &second, NULL), PRIVSHARE_STATUS_OK);
    other_id(&unknown, first, second);

    CHECK_STATUS(privshare_keyset_disable(ks, first, NULL), PRIVSHARE_STATUS_OK);
    CHECK(decrypt_status(ks, &ct) == PRIVSHARE_STATUS_KEY_DISABLED);
    CHECK_FAILS(privshare_keyset_disable(ks, second, &err), PRIVSHARE_STATUS_KEYSET_STATE);
    CHECK_FAILS(privshare_keyset_set_primary(ks, first, &err), PRIVSHARE_STATUS_KEY_DISABLED);
    CHECK_STATUS(privshare_keyset_enable(ks, first, NULL), PRIVSHARE_STATUS_OK);
    CHECK(decrypt_status(ks, &ct) == PRIVSHARE_STATUS_OK);

    CHECK_STATUS(privshare_keyset_set_primary(ks, first, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_primary_id(ks) == first);
    CHECK_FAILS(privshare_keyset_set_primary(ks, unknown, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_keyset_destroy(ks, first, &err), PRIVSHARE_STATUS_KEYSET_STATE);
    CHECK_STATUS(privshare_keyset_set_primary(ks, second, NULL), PRIVSHARE_STATUS_OK);

    CHECK_STATUS(privshare_keyset_destroy(ks, first, NULL), PRIVSHARE_STATUS_OK);
    CHECK(decrypt_status(ks, &ct) == PRIVSHARE_STATUS_KEY_DESTROYED);
    CHECK_FAILS(privshare_keyset_enable(ks, first, &err), PRIVSHARE_STATUS_KEY_DESTROYED);
    CHECK_FAILS(privshare_keyset_enable(ks, unknown, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_keyset_disable(ks, unknown, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK_FAILS(privshare_keyset_destroy(ks, unknown, &err), PRIVSHARE_STATUS_UNKNOWN_KEY);
    CHECK(privshare_keyset_version_count(ks) == 2);

    CHECK_FAILS(privshare_keyset_set_primary(NULL, first, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_disable(NULL, first, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_enable(NULL, first, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_destroy(NULL, first, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    privshare_buffer_free(&ct);
    privshare_keyset_free(ks);
}

/* Encrypts "x" with a fresh randomized cipher of `ks`; the caller frees the buffer. */
static privshare_buffer encrypt_x(const privshare_keyset *ks) {
    privshare_buffer ct = {NULL, 0};
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_BINARY);
    CHECK(c != NULL);
    CHECK_STATUS(privshare_cipher_encrypt(c, NULL, 0, (const uint8_t *)"x", 1, &ct, NULL), PRIVSHARE_STATUS_OK);
    privshare_cipher_free(c);
    return ct;
}

/* True when a cipher of `ks` decrypts `ct` to "x". */
static int decrypts_x(const privshare_keyset *ks, const privshare_buffer *ct) {
    privshare_buffer pt = {NULL, 0};
    const privshare_cipher *c = fixture_randomized(ks, "f", PRIVSHARE_ENCODING_BINARY);
    int ok = c != NULL && privshare_cipher_decrypt(c, NULL, 0, ct->data, ct->len, &pt, NULL) == PRIVSHARE_STATUS_OK &&
             buffer_is(&pt, "x");
    privshare_buffer_free(&pt);
    privshare_cipher_free(c);
    return ok;
}

static void save_and_load_with_kek(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES), *loaded = NULL;
    privshare_buffer json = {NULL, 0}, ct;
    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_SM, NULL, NULL), PRIVSHARE_STATUS_OK);
    ct = encrypt_x(ks);
    CHECK_STATUS(privshare_keyset_save_json_kek(ks, KEK, sizeof KEK, &json, NULL), PRIVSHARE_STATUS_OK);
    CHECK(json.len > 0 && json.data[0] == '{');
    CHECK_STATUS(privshare_keyset_load_json_kek(json.data, json.len, KEK, sizeof KEK, NULL, &loaded, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(loaded != NULL);
    CHECK(privshare_keyset_primary_id(loaded) == privshare_keyset_primary_id(ks));
    CHECK(privshare_keyset_version_count(loaded) == 2);
    CHECK(decrypts_x(loaded, &ct));
    privshare_keyset_free(loaded);
    loaded = NULL;

    /* A 16-byte KEK wraps with SM4-GCM. */
    {
        privshare_buffer sm_json = {NULL, 0};
        CHECK_STATUS(privshare_keyset_save_json_kek(ks, OTHER_KEK, 16, &sm_json, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_keyset_load_json_kek(sm_json.data, sm_json.len, OTHER_KEK, 16, NULL, &loaded, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK(loaded != NULL && decrypts_x(loaded, &ct));
        privshare_keyset_free(loaded);
        loaded = NULL;
        CHECK_FAILS(privshare_keyset_load_json_kek(sm_json.data, sm_json.len, KEK, 16, NULL, &loaded, &err),
                    PRIVSHARE_STATUS_KEY_UNWRAP_FAILED);
        CHECK_FAILS(privshare_keyset_save_json_kek(ks, KEK, 24, &sm_json, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
        privshare_buffer_free(&sm_json);
    }

    /* Wrong KEK, modified document, garbage, non-UTF-8, NULLs: clear errors, nothing written. */
    CHECK_FAILS(privshare_keyset_load_json_kek(json.data, json.len, OTHER_KEK, sizeof OTHER_KEK, NULL, &loaded, &err),
                PRIVSHARE_STATUS_KEY_UNWRAP_FAILED);
    CHECK_FAILS(privshare_keyset_load_json_kek((const uint8_t *)"{\"nope\":1}", 10, KEK, sizeof KEK, NULL, &loaded, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    CHECK_FAILS(privshare_keyset_load_json_kek((const uint8_t *)"not json", 8, KEK, sizeof KEK, NULL, &loaded, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    CHECK_FAILS(privshare_keyset_load_json_kek((const uint8_t *)"{\xff}", 3, KEK, sizeof KEK, NULL, &loaded, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    CHECK_FAILS(privshare_keyset_load_json_kek(json.data, json.len / 2, KEK, sizeof KEK, NULL, &loaded, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    {
        privshare_error *err = NULL;
        /* A 16-byte KEK is an SM4 KEK: not the one this keyset was wrapped with. */
        CHECK(privshare_keyset_load_json_kek(json.data, json.len, KEK, 16, NULL, &loaded, &err) != PRIVSHARE_STATUS_OK);
        CHECK(err != NULL);
        privshare_error_free(err);
    }
    CHECK_FAILS(privshare_keyset_load_json_kek(json.data, json.len, KEK, 20, NULL, &loaded, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_keyset_load_json_kek(NULL, 5, KEK, sizeof KEK, NULL, &loaded, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_load_json_kek(json.data, json.len, NULL, 32, NULL, &loaded, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_load_json_kek(json.data, json.len, KEK, sizeof KEK, NULL, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(loaded == NULL);

    {
        privshare_buffer untouched = {NULL, 0};
        CHECK_FAILS(privshare_keyset_save_json_kek(NULL, KEK, sizeof KEK, &untouched, &err),
                    PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK_FAILS(privshare_keyset_save_json_kek(ks, NULL, 32, &untouched, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK_FAILS(privshare_keyset_save_json_kek(ks, KEK, sizeof KEK, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK(untouched.data == NULL && untouched.len == 0);
    }
    privshare_buffer_free(&json);
    privshare_buffer_free(&ct);
    privshare_keyset_free(ks);
}

static void save_and_load_with_passphrase(void) {
    /* Argon2id is deliberately slow: three derivations only. */
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_SM), *loaded = NULL;
    privshare_buffer json = {NULL, 0}, ct = encrypt_x(ks);
    CHECK_STATUS(privshare_keyset_save_json_passphrase(ks, "correct horse battery staple", &json, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(json.len > 0);
    CHECK_STATUS(privshare_keyset_load_json_passphrase(json.data, json.len, "correct horse battery staple", NULL, &loaded,
                                                       NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(loaded != NULL && privshare_keyset_primary_id(loaded) == privshare_keyset_primary_id(ks));
    CHECK(loaded != NULL && decrypts_x(loaded, &ct));
    privshare_keyset_free(loaded);
    loaded = NULL;
    CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", NULL, &loaded, &err),
                PRIVSHARE_STATUS_KEY_UNWRAP_FAILED);
    {
        /* The message says what to check, and nothing about which one it was. */
        privshare_error *err = NULL;
        privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", NULL, &loaded, &err);
        CHECK(err != NULL && strstr(privshare_error_message(err), "wrong passphrase or modified keyset") != NULL);
        privshare_error_free(err);
    }
    {
        /* Costs above the caller's caps are refused before Argon2id runs: the passphrase is not even
         * tried (a wrong one gets the same answer), and caps outside the bounds are bad arguments. */
        privshare_keyset_load_options small = {0};
        small.argon2_max_m_cost_kib = 1024;
        CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "correct horse battery staple", &small,
                                                          &loaded, &err),
                    PRIVSHARE_STATUS_MALFORMED_KEYSET);
        CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", &small, &loaded, &err),
                    PRIVSHARE_STATUS_MALFORMED_KEYSET);
        small.argon2_max_m_cost_kib = 0;
        small.argon2_max_t_cost = 2;
        CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", &small, &loaded, &err),
                    PRIVSHARE_STATUS_MALFORMED_KEYSET);
        small.argon2_max_t_cost = 0;
        small.argon2_max_p_cost = 17;
        CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", &small, &loaded, &err),
                    PRIVSHARE_STATUS_INVALID_ARGUMENT);
        /* A minimum generation above the file's is refused before Argon2id too. */
        small.argon2_max_p_cost = 0;
        small.min_generation = privshare_keyset_generation(ks) + 1;
        CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "wrong", &small, &loaded, &err),
                    PRIVSHARE_STATUS_KEYSET_ROLLED_BACK);
    }
    CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, NULL, NULL, &loaded, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_load_json_passphrase((const uint8_t *)"[]", 2, "p", NULL, &loaded, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    CHECK_FAILS(privshare_keyset_load_json_passphrase(json.data, json.len, "p", NULL, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(loaded == NULL);
    {
        privshare_buffer untouched = {NULL, 0};
        CHECK_FAILS(privshare_keyset_save_json_passphrase(NULL, "p", &untouched, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK_FAILS(privshare_keyset_save_json_passphrase(ks, NULL, &untouched, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK_FAILS(privshare_keyset_save_json_passphrase(ks, "p", NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
        CHECK(untouched.data == NULL);
    }
    privshare_buffer_free(&json);
    privshare_buffer_free(&ct);
    privshare_keyset_free(ks);
}

static void generations_and_rollback(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES), *loaded = NULL;
    privshare_buffer old_json = {NULL, 0}, new_json = {NULL, 0};
    privshare_keyset_load_options opts = {0};
    uint32_t first = privshare_keyset_primary_id(ks), second = 0;
    CHECK(privshare_keyset_generation(ks) == 1);
    CHECK_STATUS(privshare_keyset_save_json_kek(ks, KEK, sizeof KEK, &old_json, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_keyset_rotate(ks, PRIVSHARE_SUITE_AES, &second, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_keyset_destroy(ks, first, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_generation(ks) == 3);
    /* A failed change does not count. */
    CHECK_FAILS(privshare_keyset_destroy(ks, second, &err), PRIVSHARE_STATUS_KEYSET_STATE);
    CHECK(privshare_keyset_generation(ks) == 3);
    CHECK_STATUS(privshare_keyset_save_json_kek(ks, KEK, sizeof KEK, &new_json, NULL), PRIVSHARE_STATUS_OK);

    /* Without a minimum both load; demanding the latest refuses the copy saved before destroy. */
    CHECK_STATUS(privshare_keyset_load_json_kek(old_json.data, old_json.len, KEK, sizeof KEK, &opts, &loaded, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_generation(loaded) == 1);
    privshare_keyset_free(loaded);
    loaded = NULL;
    opts.min_generation = privshare_keyset_generation(ks);
    CHECK_FAILS(privshare_keyset_load_json_kek(old_json.data, old_json.len, KEK, sizeof KEK, &opts, &loaded, &err),
                PRIVSHARE_STATUS_KEYSET_ROLLED_BACK);
    CHECK(loaded == NULL);
    CHECK_STATUS(privshare_keyset_load_json_kek(new_json.data, new_json.len, KEK, sizeof KEK, &opts, &loaded, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_generation(loaded) == 3 && privshare_keyset_version_count(loaded) == 2);
    privshare_keyset_free(loaded);
    privshare_buffer_free(&old_json);
    privshare_buffer_free(&new_json);
    privshare_keyset_free(ks);
}

void run_keyset_tests(void) {
    RUN(generate_both_suites);
    RUN(generate_rejects_bad_arguments);
    RUN(null_keyset_accessors_and_free);
    RUN(rotate_adds_a_primary_and_old_ciphertexts_still_decrypt);
    RUN(disable_enable_destroy_set_primary);
    RUN(save_and_load_with_kek);
    RUN(save_and_load_with_passphrase);
    RUN(generations_and_rollback);
}
