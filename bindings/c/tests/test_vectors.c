/* The repository's test vectors (tests/vectors), read through the C ABI: stored keysets, field
 * ciphertexts (valid and invalid), tokens and format-preserving known answers. run-tests.sh flattens
 * the JSON files into tab-separated lines (tests/vectors_to_tsv.py) and names the file in
 * PRIVSHARE_VECTORS. */
#include <stdlib.h>

#include "harness.h"

#define MAX_FIELDS 12
#define MAX_KEYSETS 8
#define LINE_MAX_LEN 8192

struct named_keyset {
    char name[64];
    privshare_keyset *ks;
};

static struct named_keyset keysets[MAX_KEYSETS];
static size_t n_keysets = 0;

/* Decodes hex into a new buffer (caller frees); "-" gives NULL with length 0. */
static uint8_t *unhex(const char *hex, size_t *len) {
    size_t n = strlen(hex), i;
    uint8_t *out;
    *len = 0;
    if (strcmp(hex, "-") == 0) return NULL;
    out = malloc(n / 2 + 1); /* never 0 bytes: an empty value is a non-NULL pointer, length 0 */
    if (out == NULL) exit(2);
    for (i = 0; i + 1 < n; i += 2) {
        unsigned byte;
        if (sscanf(hex + i, "%2x", &byte) != 1) exit(2);
        out[i / 2] = (uint8_t)byte;
    }
    *len = n / 2;
    return out;
}

static int split(char *line, char **fields) {
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < MAX_FIELDS) {
        fields[n++] = p;
        p = strchr(p, '\t');
        if (p == NULL) break;
        *p++ = '\0';
    }
    return n;
}

static privshare_keyset *keyset_named(const char *name) {
    size_t i;
    for (i = 0; i < n_keysets; i++)
        if (strcmp(keysets[i].name, name) == 0) return keysets[i].ks;
    return NULL;
}

/* Calls `each` for every line of kind `kind`; returns the number of lines seen. */
static int for_each(const char *kind, void (*each)(char **fields, int n, int line_no)) {
    const char *path = getenv("PRIVSHARE_VECTORS");
    static char line[LINE_MAX_LEN];
    char *fields[MAX_FIELDS];
    int seen = 0, line_no = 0;
    FILE *f;
    if (path == NULL || (f = fopen(path, "r")) == NULL) {
        harness_fail(__FILE__, __LINE__, "PRIVSHARE_VECTORS must name the flattened vector file");
        return 0;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        int n = split(line, fields);
        line_no++;
        if (strcmp(fields[0], kind) == 0) {
            each(fields, n, line_no);
            seen++;
        }
    }
    fclose(f);
    return seen;
}

static void report(int ok, int line_no, const char *what) {
    if (!ok) {
        char msg[160];
        snprintf(msg, sizeof msg, "vector line %d: %s", line_no, what);
        harness_fail(__FILE__, __LINE__, msg);
    }
}

static void load_keyset(char **f, int n, int line_no) {
    privshare_keyset *ks = NULL;
    report(n == 3 && n_keysets < MAX_KEYSETS, line_no, "keyset line");
    if (n != 3 || n_keysets >= MAX_KEYSETS) return;
    report(privshare_keyset_load_insecure_plaintext_json((const uint8_t *)f[2], strlen(f[2]), &ks, NULL) == 0, line_no,
           "load insecure plaintext keyset");
    snprintf(keysets[n_keysets].name, sizeof keysets[n_keysets].name, "%s", f[1]);
    keysets[n_keysets++].ks = ks;
}

static void free_keysets(void) {
    while (n_keysets > 0) privshare_keyset_free(keysets[--n_keysets].ks);
}

static void stored(char **f, int n, int line_no) {
    static uint8_t json[1 << 16];
    privshare_keyset *ks = NULL;
    privshare_status s;
    size_t len, kek_len;
    FILE *file;
    report(n == 6, line_no, "stored line");
    if (n != 6 || (file = fopen(f[1], "rb")) == NULL) {
        report(0, line_no, "cannot open stored keyset");
        return;
    }
    len = fread(json, 1, sizeof json, file);
    fclose(file);
    if (strcmp(f[2], "kek") == 0) {
        uint8_t *kek = unhex(f[3], &kek_len);
        s = privshare_keyset_load_json_kek(json, len, kek, kek_len, NULL, &ks, NULL);
        free(kek);
    } else {
        s = privshare_keyset_load_json_passphrase(json, len, f[3], NULL, &ks, NULL);
    }
    report(s == PRIVSHARE_STATUS_OK, line_no, "load stored keyset");
    report(privshare_keyset_primary_id(ks) == (uint32_t)strtoul(f[4], NULL, 10), line_no, "primary id");
    report(privshare_keyset_version_count(ks) == (size_t)strtoul(f[5], NULL, 10), line_no, "version count");
    privshare_keyset_free(ks);
}

static const privshare_cipher *fle_cipher(char **f, uint32_t encoding, const char *padding) {
    const privshare_cipher *c = NULL;
    privshare_keyset *ks = keyset_named(f[1]);
    if (strcmp(f[2], "randomized") == 0)
        privshare_cipher_new_randomized_padded(ks, f[3], f[4], encoding, padding, &c, NULL);
    else
        privshare_cipher_new_deterministic_padded(ks, f[3], f[4], encoding, padding, &c, NULL);
    return c;
}

static void fle_valid(char **f, int n, int line_no) {
    const privshare_cipher *bin, *text;
    size_t rec_len, ct_len, pt_len;
    uint8_t *rec, *ct, *pt;
    privshare_buffer out = {NULL, 0};
    report(n == 10, line_no, "fle_valid line");
    if (n != 10) return;
    bin = fle_cipher(f, PRIVSHARE_ENCODING_BINARY, f[9]);
    text = fle_cipher(f, PRIVSHARE_ENCODING_TEXT, f[9]);
    rec = unhex(f[5], &rec_len);
    ct = unhex(f[6], &ct_len);
    pt = unhex(f[8], &pt_len);
    report(bin != NULL && text != NULL, line_no, "cipher");
    report(privshare_cipher_decrypt(bin, rec, rec_len, ct, ct_len, &out, NULL) == 0 && out.len == pt_len &&
               (pt_len == 0 || memcmp(out.data, pt, pt_len) == 0),
           line_no, "binary ciphertext decrypts to the plaintext");
    privshare_buffer_free(&out);
    report(privshare_cipher_decrypt(text, rec, rec_len, (const uint8_t *)f[7], strlen(f[7]), &out, NULL) == 0 &&
               out.len == pt_len && (pt_len == 0 || memcmp(out.data, pt, pt_len) == 0),
           line_no, "text form decrypts to the plaintext");
    privshare_buffer_free(&out);
    /* Deterministic encryption with the vector's padding reproduces it byte for byte. */
    if (strcmp(f[2], "deterministic") == 0) {
        report(privshare_cipher_encrypt(bin, NULL, 0, pt, pt_len, &out, NULL) == 0 && out.len == ct_len &&
                   memcmp(out.data, ct, ct_len) == 0,
               line_no, "deterministic encryption is exact");
        privshare_buffer_free(&out);
        report(privshare_cipher_encrypt(text, NULL, 0, pt, pt_len, &out, NULL) == 0 && out.len == strlen(f[7]) &&
                   memcmp(out.data, f[7], out.len) == 0,
               line_no, "deterministic text form is exact");
        privshare_buffer_free(&out);
    }
    free(rec);
    free(ct);
    free(pt);
    privshare_cipher_free(bin);
    privshare_cipher_free(text);
}

static void fle_invalid(char **f, int n, int line_no) {
    const privshare_cipher *c;
    size_t rec_len, ct_len;
    uint8_t *rec, *ct;
    int is_text = strcmp(f[7], "-") != 0;
    privshare_buffer out = {NULL, 0};
    privshare_error *err = NULL;
    uint32_t code;
    uint64_t offset = 0;
    report(n == 10, line_no, "fle_invalid line");
    if (n != 10) return;
    c = fle_cipher(f, is_text ? PRIVSHARE_ENCODING_TEXT : PRIVSHARE_ENCODING_BINARY, "none");
    rec = unhex(f[5], &rec_len);
    ct = unhex(f[6], &ct_len);
    code = (uint32_t)strtoul(f[8], NULL, 10);
    if (is_text)
        report(privshare_cipher_decrypt(c, rec, rec_len, (const uint8_t *)f[7], strlen(f[7]), &out, &err) == code,
               line_no, "text: expected status");
    else
        report(privshare_cipher_decrypt(c, rec, rec_len, ct, ct_len, &out, &err) == code, line_no, "expected status");
    report(privshare_error_code(err) == code && out.data == NULL, line_no, "error object, nothing written");
    if (strcmp(f[9], "-") != 0)
        report(privshare_error_offset(err, &offset) && offset == strtoull(f[9], NULL, 10), line_no, "offset");
    privshare_error_free(err);
    free(rec);
    free(ct);
    privshare_cipher_free(c);
}

static void token_valid(char **f, int n, int line_no) {
    const privshare_cipher *raw = NULL, *text = NULL;
    uint32_t key_id = (uint32_t)strtoul(f[2], NULL, 10);
    size_t value_len, token_len;
    uint8_t *value, *token;
    privshare_buffer out = {NULL, 0};
    report(n == 7, line_no, "token_valid line");
    if (n != 7) return;
    privshare_cipher_new_token(keyset_named(f[1]), key_id, f[3], PRIVSHARE_ENCODING_BINARY, &raw, NULL);
    privshare_cipher_new_token(keyset_named(f[1]), key_id, f[3], PRIVSHARE_ENCODING_TEXT, &text, NULL);
    value = unhex(f[4], &value_len);
    token = unhex(f[5], &token_len);
    report(privshare_cipher_encrypt(raw, NULL, 0, value, value_len, &out, NULL) == 0 && out.len == token_len &&
               memcmp(out.data, token, token_len) == 0,
           line_no, "raw token");
    privshare_buffer_free(&out);
    report(privshare_cipher_encrypt(text, NULL, 0, value, value_len, &out, NULL) == 0 && out.len == strlen(f[6]) &&
               memcmp(out.data, f[6], out.len) == 0,
           line_no, "text token");
    privshare_buffer_free(&out);
    free(value);
    free(token);
    privshare_cipher_free(raw);
    privshare_cipher_free(text);
}

static void token_invalid(char **f, int n, int line_no) {
    const privshare_cipher *c = NULL;
    size_t value_len;
    uint8_t *value;
    privshare_buffer out = {NULL, 0};
    report(n == 6, line_no, "token_invalid line");
    if (n != 6) return;
    privshare_cipher_new_token(keyset_named(f[1]), (uint32_t)strtoul(f[2], NULL, 10), f[3], PRIVSHARE_ENCODING_TEXT,
                               &c, NULL);
    value = unhex(f[4], &value_len);
    report(privshare_cipher_encrypt(c, NULL, 0, value, value_len, &out, NULL) == (uint32_t)strtoul(f[5], NULL, 10),
           line_no, "expected status");
    free(value);
    privshare_cipher_free(c);
}

static void fpe(char **f, int n, int line_no) {
    const privshare_cipher *c = NULL;
    privshare_keyset *ks = keyset_named(f[1]);
    privshare_buffer out = {NULL, 0};
    report(n == 8, line_no, "fpe line");
    if (n != 8) return;
    if (strcmp(f[2], "ff1") == 0) {
        privshare_cipher_new_ff1(ks, privshare_keyset_primary_id(ks), f[3], f[4], f[5], &c, NULL);
    } else if (strcmp(f[2], "resident_id") == 0) {
        unsigned y1, m1, d1, y2, m2, d2;
        privshare_date_range r;
        if (sscanf(f[5], "%u %u %u %u %u %u", &y1, &m1, &d1, &y2, &m2, &d2) != 6) exit(2);
        r.start_year = (uint16_t)y1;
        r.start_month = (uint8_t)m1;
        r.start_day = (uint8_t)d1;
        r.end_year = (uint16_t)y2;
        r.end_month = (uint8_t)m2;
        r.end_day = (uint8_t)d2;
        privshare_cipher_new_resident_id(ks, privshare_keyset_primary_id(ks), f[3], f[4], &r, &c, NULL);
    } else if (strcmp(f[2], "mobile") == 0) {
        privshare_cipher_new_mobile(ks, privshare_keyset_primary_id(ks), f[3], f[4], &c, NULL);
    } else if (strcmp(f[2], "bank_card") == 0) {
        privshare_cipher_new_bank_card(ks, privshare_keyset_primary_id(ks), f[3], f[4], &c, NULL);
    }
    report(c != NULL, line_no, "cipher");
    report(privshare_cipher_encrypt(c, NULL, 0, (const uint8_t *)f[6], strlen(f[6]), &out, NULL) == 0 &&
               buffer_is(&out, f[7]),
           line_no, "known answer");
    privshare_buffer_free(&out);
    report(privshare_cipher_decrypt(c, NULL, 0, (const uint8_t *)f[7], strlen(f[7]), &out, NULL) == 0 &&
               buffer_is(&out, f[6]),
           line_no, "decrypts back");
    privshare_buffer_free(&out);
    privshare_cipher_free(c);
}

static void vectors_stored_keysets(void) {
    /* Three wrappings in format version 2 and the same three in the frozen version 1 files. */
    CHECK(for_each("stored", stored) == 6);
}

static void vectors_field_ciphertexts(void) {
    for_each("keyset", load_keyset);
    CHECK(for_each("fle_valid", fle_valid) >= 16);
    CHECK(for_each("fle_invalid", fle_invalid) >= 20);
    free_keysets();
}

static void vectors_tokens(void) {
    for_each("keyset", load_keyset);
    CHECK(for_each("token_valid", token_valid) >= 4);
    CHECK(for_each("token_invalid", token_invalid) >= 1);
    free_keysets();
}

static void vectors_format_preserving(void) {
    for_each("keyset", load_keyset);
    CHECK(for_each("fpe", fpe) >= 20);
    free_keysets();
}

static void insecure_plaintext_round_trip_and_errors(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_SM), *back = NULL;
    privshare_buffer json = {NULL, 0};
    CHECK_STATUS(privshare_keyset_save_insecure_plaintext_json(ks, &json, NULL), PRIVSHARE_STATUS_OK);
    CHECK(json.len > 0);
    CHECK_STATUS(privshare_keyset_load_insecure_plaintext_json(json.data, json.len, &back, NULL), PRIVSHARE_STATUS_OK);
    CHECK(privshare_keyset_primary_id(back) == privshare_keyset_primary_id(ks));
    privshare_keyset_free(back);
    back = NULL;
    CHECK_FAILS(privshare_keyset_load_insecure_plaintext_json((const uint8_t *)"{}", 2, &back, &err),
                PRIVSHARE_STATUS_MALFORMED_KEYSET);
    CHECK_FAILS(privshare_keyset_load_insecure_plaintext_json(NULL, 2, &back, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_load_insecure_plaintext_json(json.data, json.len, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_save_insecure_plaintext_json(NULL, &json, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_keyset_save_insecure_plaintext_json(ks, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(back == NULL);
    privshare_buffer_free(&json);
    privshare_keyset_free(ks);
}

void run_vector_tests(void) {
    RUN(insecure_plaintext_round_trip_and_errors);
    RUN(vectors_stored_keysets);
    RUN(vectors_field_ciphertexts);
    RUN(vectors_tokens);
    RUN(vectors_format_preserving);
}
