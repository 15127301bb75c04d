/* The audit log through the C ABI: append, sign tree heads, verify logs, produce and check proofs,
 * recover a torn tail, concurrent appenders, the repository's vectors (valid and attacked logs),
 * and every NULL / bad-argument path. */
#define _XOPEN_SOURCE 700 /* getpid, unlink, truncate */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

#define RECORD(i)                                                                                              \
    "{\"time_ms\":1760000000" #i ",\"event\":\"sent\",\"message_id\":\"000102030405060708090a0b0c0d0e0" #i    \
    "\",\"sender\":\"EE/GOV/70000001/tax\",\"recipients\":[\"EE/GOV/70000002/health\"],\"purpose\":\"p\","    \
    "\"payload_hash\":\"00000000000000000000000000000000000000000000000000000000000000" #i "" #i "\",\"payload_len\":" #i "}"

static const char *BATCH_A = "[" RECORD(1) "," RECORD(2) "," RECORD(3) "]";
static const char *BATCH_B = "[" RECORD(4) "]";
static const char *REJECTED = "[{\"time_ms\":5,\"event\":\"rejected\",\"reason\":500,\"payload_hash\":"
                              "\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"payload_len\":9}]";

/* A fresh path in the temporary directory (the file does not exist). */
static void temp_path(char *buf, size_t len, const char *tag) {
    static int n = 0;
    const char *dir = getenv("TMPDIR");
    snprintf(buf, len, "%s/privshare-c-audit-%ld-%s-%d", dir ? dir : "/tmp", (long)getpid(), tag, n++);
    unlink(buf);
}

static privshare_status append(const privshare_audit_log *log, const char *json, uint64_t *first, uint64_t *size) {
    return privshare_audit_log_append_json(log, (const uint8_t *)json, strlen(json), first, size, NULL);
}

static void append_sign_verify_and_prove(void) {
    uint32_t suites[2] = {PRIVSHARE_SUITE_AES, PRIVSHARE_SUITE_SM};
    int s;
    for (s = 0; s < 2; s++) {
        char path[256];
        privshare_audit_log *log = NULL, *reopened = NULL;
        privshare_audit_signer *signer = NULL;
        privshare_audit_verifier *verifier = NULL;
        privshare_buffer pkcs8 = {NULL, 0}, spki = {NULL, 0}, head1 = {NULL, 0}, head2 = {NULL, 0};
        privshare_buffer inc = {NULL, 0}, con = {NULL, 0};
        privshare_audit_report report;
        privshare_audit_tree_head fields;
        uint64_t first = 99, size = 99, moved = 99;
        uint8_t root3[32], root5[32], leaf[32];

        temp_path(path, sizeof path, "main");
        CHECK_STATUS(privshare_audit_log_create(path, suites[s], &log, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_signer_generate(&signer, &pkcs8, NULL), PRIVSHARE_STATUS_OK);
        CHECK(pkcs8.len > 32);
        CHECK_STATUS(privshare_audit_signer_public_key(signer, &spki, NULL), PRIVSHARE_STATUS_OK);
        CHECK(spki.len == 44);

        CHECK_STATUS(append(log, BATCH_A, &first, &size), PRIVSHARE_STATUS_OK);
        CHECK(first == 0 && size == 3);
        CHECK_STATUS(privshare_audit_log_sign_tree_head(log, signer, &head1, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(append(log, BATCH_B, &first, NULL), PRIVSHARE_STATUS_OK);
        CHECK(first == 3);
        CHECK_STATUS(append(log, REJECTED, NULL, &size), PRIVSHARE_STATUS_OK);
        CHECK(size == 5);
        CHECK_STATUS(privshare_audit_log_sign_tree_head(log, signer, &head2, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_log_size(log, &size, NULL), PRIVSHARE_STATUS_OK);
        CHECK(size == 5);
        CHECK_STATUS(privshare_audit_log_root(log, 3, root3, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_log_root(log, 5, root5, NULL), PRIVSHARE_STATUS_OK);

        /* The head's fields. */
        CHECK_STATUS(privshare_audit_tree_head_parse(head1.data, head1.len, &fields, NULL), PRIVSHARE_STATUS_OK);
        CHECK(fields.suite == suites[s] && fields.tree_size == 3 && memcmp(fields.root, root3, 32) == 0);

        /* Inclusion of record 3 (BATCH_B's record) in the tree of 5, from its JSON. */
        CHECK_STATUS(privshare_audit_record_leaf_hash(suites[s], (const uint8_t *)RECORD(4), strlen(RECORD(4)), leaf, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_log_inclusion_proof(log, 3, 5, &inc, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_inclusion_proof_verify(inc.data, inc.len, leaf, root5, NULL), PRIVSHARE_STATUS_OK);
        CHECK_FAILS(privshare_audit_inclusion_proof_verify(inc.data, inc.len, leaf, root3, &err),
                    PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
        CHECK_FAILS(privshare_audit_inclusion_proof_verify(inc.data, inc.len - 1, leaf, root5, &err),
                    PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG);
        /* Consistency 3 -> 5, and between the two signed heads. */
        CHECK_STATUS(privshare_audit_log_consistency_proof(log, 3, 5, &con, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_consistency_proof_verify(con.data, con.len, root3, root5, NULL), PRIVSHARE_STATUS_OK);
        CHECK_FAILS(privshare_audit_consistency_proof_verify(con.data, con.len, root5, root5, &err),
                    PRIVSHARE_STATUS_AUTHENTICATION_FAILED);

        /* The verifier: the file, the heads, consistency between them. */
        CHECK_STATUS(privshare_audit_verifier_new(&verifier, NULL), PRIVSHARE_STATUS_OK);
        CHECK_FAILS(privshare_audit_verifier_verify_file(verifier, path, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK_STATUS(privshare_audit_verifier_add_key(verifier, spki.data, spki.len, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_verifier_trust(verifier, head1.data, head1.len, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_verifier_verify_file(verifier, path, &report, NULL), PRIVSHARE_STATUS_OK);
        CHECK(report.records == 5 && report.batches == 3 && report.tree_heads == 2);
        CHECK(report.signed_records == 5 && report.unsigned_records == 0 && report.suite == suites[s]);
        CHECK(memcmp(report.root, root5, 32) == 0 && memcmp(report.log_id, fields.log_id, 16) == 0);
        CHECK_STATUS(privshare_audit_verifier_verify_tree_head(verifier, head2.data, head2.len, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_verifier_check_consistency(verifier, head1.data, head1.len, head2.data, head2.len,
                                                                con.data, con.len, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK_FAILS(privshare_audit_verifier_check_consistency(verifier, head1.data, head1.len, head2.data, head2.len,
                                                               inc.data, inc.len, &err),
                    PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG);
        head2.data[head2.len - 1] ^= 1;
        CHECK_FAILS(privshare_audit_verifier_verify_tree_head(verifier, head2.data, head2.len, &err),
                    PRIVSHARE_STATUS_AUTHENTICATION_FAILED);

        /* Reopen: same size; recover does nothing to an intact log. */
        privshare_audit_log_free(log);
        CHECK_STATUS(privshare_audit_log_recover(path, &moved, NULL), PRIVSHARE_STATUS_OK);
        CHECK(moved == 0);
        CHECK_STATUS(privshare_audit_log_open(path, &reopened, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_audit_log_size(reopened, &size, NULL), PRIVSHARE_STATUS_OK);
        CHECK(size == 5);
        privshare_audit_log_free(reopened);

        privshare_audit_verifier_free(verifier);
        privshare_audit_signer_free(signer);
        privshare_buffer_free(&pkcs8);
        privshare_buffer_free(&spki);
        privshare_buffer_free(&head1);
        privshare_buffer_free(&head2);
        privshare_buffer_free(&inc);
        privshare_buffer_free(&con);
        unlink(path);
    }
}

static void a_torn_tail_is_refused_then_recovered(void) {
    char path[256], side[300];
    privshare_audit_log *log = NULL;
    uint64_t moved = 0, size = 0;
    FILE *f;
    long len;
    temp_path(path, sizeof path, "torn");
    CHECK_STATUS(privshare_audit_log_create(path, PRIVSHARE_SUITE_AES, &log, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(append(log, BATCH_A, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(append(log, BATCH_B, NULL, NULL), PRIVSHARE_STATUS_OK);
    privshare_audit_log_free(log);
    log = NULL;
    /* Cut 10 bytes off the last frame, as a crash mid-write would. */
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f == NULL) return;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fclose(f);
    CHECK(truncate(path, len - 10) == 0);
    CHECK_FAILS(privshare_audit_log_open(path, &log, &err), PRIVSHARE_STATUS_AUDIT_LOG_TORN_TAIL);
    CHECK(log == NULL);
    CHECK_STATUS(privshare_audit_log_recover(path, &moved, NULL), PRIVSHARE_STATUS_OK);
    CHECK(moved > 0);
    CHECK_STATUS(privshare_audit_log_open(path, &log, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_log_size(log, &size, NULL), PRIVSHARE_STATUS_OK);
    CHECK(size == 3);
    privshare_audit_log_free(log);
    snprintf(side, sizeof side, "%s.torn-%llu", path, (unsigned long long)(len - 10 - (long)moved));
    CHECK(unlink(side) == 0);
    unlink(path);
}

struct appender {
    const privshare_audit_log *log;
    int failures;
};

static void *append_many(void *arg) {
    struct appender *a = arg;
    int i;
    for (i = 0; i < 20; i++)
        if (append(a->log, BATCH_A, NULL, NULL) != PRIVSHARE_STATUS_OK) a->failures++;
    return NULL;
}

static void concurrent_appenders_on_one_handle(void) {
    char path[256];
    privshare_audit_log *log = NULL;
    struct appender a[4];
    pthread_t t[4];
    uint64_t size = 0;
    int i;
    temp_path(path, sizeof path, "threads");
    CHECK_STATUS(privshare_audit_log_create(path, PRIVSHARE_SUITE_SM, &log, NULL), PRIVSHARE_STATUS_OK);
    for (i = 0; i < 4; i++) {
        a[i].log = log;
        a[i].failures = 0;
        CHECK(pthread_create(&t[i], NULL, append_many, &a[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(a[i].failures == 0);
    }
    CHECK_STATUS(privshare_audit_log_size(log, &size, NULL), PRIVSHARE_STATUS_OK);
    CHECK(size == 4 * 20 * 3);
    privshare_audit_log_free(log);
    unlink(path);
}

static void bad_arguments(void) {
    char path[256];
    privshare_audit_log *log = NULL;
    privshare_audit_signer *signer = NULL;
    privshare_audit_verifier *verifier = NULL;
    privshare_buffer buf = {NULL, 0};
    privshare_audit_report report;
    uint8_t hash[32] = {0};
    uint64_t n;
    temp_path(path, sizeof path, "bad");
    CHECK_FAILS(privshare_audit_log_create(path, 3, &log, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_create(NULL, PRIVSHARE_SUITE_AES, &log, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_create(path, PRIVSHARE_SUITE_AES, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_open(path, &log, &err), PRIVSHARE_STATUS_IO);
    CHECK(log == NULL);
    CHECK_STATUS(privshare_audit_log_create(path, PRIVSHARE_SUITE_AES, &log, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_audit_log_create(path, PRIVSHARE_SUITE_AES, &log, &err), PRIVSHARE_STATUS_IO);
    CHECK_FAILS(privshare_audit_log_append_json(log, (const uint8_t *)"[]", 2, NULL, NULL, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_append_json(log, (const uint8_t *)"{", 1, NULL, NULL, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_append_json(log, (const uint8_t *)"\xff", 1, NULL, NULL, &err),
                PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_audit_log_append_json(NULL, (const uint8_t *)BATCH_A, strlen(BATCH_A), NULL, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_append_json(log, NULL, 5, NULL, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    {
        /* A bad record names its row. */
        const char *bad = "[" RECORD(1) ",{\"time_ms\":1,\"event\":\"sent\",\"payload_hash\":\"00\",\"payload_len\":1}]";
        privshare_error *err = NULL;
        uint64_t row = 99;
        CHECK_STATUS(privshare_audit_log_append_json(log, (const uint8_t *)bad, strlen(bad), NULL, NULL, &err),
                     PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK(err != NULL && privshare_error_row(err, &row) && row == 1);
        privshare_error_free(err);
    }
    CHECK_STATUS(privshare_audit_log_size(log, &n, NULL), PRIVSHARE_STATUS_OK);
    CHECK(n == 0);
    CHECK_FAILS(privshare_audit_log_size(log, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_root(log, 1, hash, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_inclusion_proof(log, 0, 0, &buf, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_consistency_proof(log, 0, 0, &buf, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_audit_log_sign_tree_head(log, NULL, &buf, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(buf.data == NULL && buf.len == 0);
    CHECK_FAILS(privshare_audit_signer_load_pkcs8((const uint8_t *)"nope", 4, &signer, &err),
                PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK(signer == NULL);
    CHECK_STATUS(privshare_audit_verifier_new(&verifier, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_audit_verifier_add_key(verifier, hash, 32, &err), PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK_FAILS(privshare_audit_verifier_add_key(NULL, hash, 32, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_verifier_trust(verifier, hash, 32, &err), PRIVSHARE_STATUS_MALFORMED_AUDIT_LOG);
    CHECK_FAILS(privshare_audit_verifier_verify_file(verifier, path, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_verifier_verify_file(NULL, path, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_inclusion_proof_verify(hash, 32, NULL, hash, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_audit_record_leaf_hash(PRIVSHARE_SUITE_AES, (const uint8_t *)"{}", 2, hash, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    privshare_audit_verifier_free(verifier);
    privshare_audit_log_free(log);
    privshare_audit_log_free(NULL);
    privshare_audit_signer_free(NULL);
    privshare_audit_verifier_free(NULL);
    unlink(path);
}

/* --- the repository's vectors (flattened by vectors_to_tsv.py) --------------------------------- */

#define MAX_LINE 16384

static uint8_t *unhex_alloc(const char *hex, size_t n, size_t *len) {
    uint8_t *out = malloc(n / 2 + 1);
    size_t i;
    if (out == NULL) exit(2);
    for (i = 0; i + 1 < n; i += 2) {
        unsigned byte;
        if (sscanf(hex + i, "%2x", &byte) != 1) exit(2);
        out[i / 2] = (uint8_t)byte;
    }
    *len = n / 2;
    return out;
}

static void write_file(const char *path, const char *hex) {
    size_t len;
    uint8_t *bytes = unhex_alloc(hex, strlen(hex), &len);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(bytes, 1, len, f) != len) exit(2);
    fclose(f);
    free(bytes);
}

/* A verifier with the key and the comma-separated trusted heads ("-": none). */
static privshare_audit_verifier *vector_verifier(const char *spki_hex, char *heads) {
    privshare_audit_verifier *v = NULL;
    size_t len;
    uint8_t *spki = unhex_alloc(spki_hex, strlen(spki_hex), &len);
    CHECK_STATUS(privshare_audit_verifier_new(&v, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_add_key(v, spki, len, NULL), PRIVSHARE_STATUS_OK);
    free(spki);
    if (strcmp(heads, "-") != 0) {
        char *h = strtok(heads, ",");
        while (h != NULL) {
            uint8_t *head = unhex_alloc(h, strlen(h), &len);
            CHECK_STATUS(privshare_audit_verifier_trust(v, head, len, NULL), PRIVSHARE_STATUS_OK);
            free(head);
            h = strtok(NULL, ",");
        }
    }
    return v;
}

static void audit_vectors(void) {
    const char *vectors = getenv("PRIVSHARE_VECTORS");
    static char line[MAX_LINE];
    int valid = 0, invalid = 0;
    FILE *f = vectors ? fopen(vectors, "r") : NULL;
    CHECK(f != NULL);
    if (f == NULL) return;
    while (fgets(line, sizeof line, f) != NULL) {
        char *fields[8], *p = line, path[256];
        int n = 0;
        line[strcspn(line, "\r\n")] = '\0';
        while (n < 8 && p != NULL) {
            fields[n++] = p;
            p = strchr(p, '\t');
            if (p) *p++ = '\0';
        }
        if (strcmp(fields[0], "audit_log") == 0 && n == 6) {
            privshare_audit_report report;
            size_t len;
            uint8_t *root = unhex_alloc(fields[4], strlen(fields[4]), &len);
            privshare_audit_verifier *v = vector_verifier(fields[3], fields[5]);
            temp_path(path, sizeof path, "vector");
            write_file(path, fields[2]);
            CHECK_STATUS(privshare_audit_verifier_verify_file(v, path, &report, NULL), PRIVSHARE_STATUS_OK);
            CHECK(report.records == 10 && report.tree_heads == 2 && memcmp(report.root, root, 32) == 0);
            privshare_audit_verifier_free(v);
            free(root);
            unlink(path);
            valid++;
        } else if (strcmp(fields[0], "audit_invalid") == 0 && n == 6) {
            privshare_audit_report report;
            privshare_audit_verifier *v = vector_verifier(fields[3], fields[4]);
            privshare_status want = (privshare_status)strtoul(fields[5], NULL, 10);
            privshare_status got;
            temp_path(path, sizeof path, "attacked");
            write_file(path, fields[2]);
            got = privshare_audit_verifier_verify_file(v, path, &report, NULL);
            if (got != want) {
                char msg[200];
                snprintf(msg, sizeof msg, "attacked log %s: status %u, expected %u", fields[1], got, want);
                harness_fail(__FILE__, __LINE__, msg);
            }
            privshare_audit_verifier_free(v);
            unlink(path);
            invalid++;
        }
    }
    fclose(f);
    CHECK(valid == 2);
    CHECK(invalid >= 9);
}

/* An SM2 identity (made for envelopes) signs the heads of an SM suite log. */
static void sm2_identity_signs_tree_heads(void) {
    char path[256];
    privshare_audit_log *log = NULL;
    privshare_signing_key *identity = NULL, *other = NULL;
    privshare_audit_signer *signer = NULL;
    privshare_audit_verifier *verifier = NULL, *wrong = NULL;
    privshare_buffer pem = {NULL, 0}, spki = {NULL, 0}, other_pem = {NULL, 0}, head = {NULL, 0};
    temp_path(path, sizeof path, "sm2");
    CHECK_STATUS(privshare_audit_log_create(path, PRIVSHARE_SUITE_SM, &log, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_generate(PRIVSHARE_SIGNATURE_SM2, &identity, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_private_pem(identity, &pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_signer_load_pkcs8(pem.data, pem.len, &signer, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_signer_public_key(signer, &spki, NULL), PRIVSHARE_STATUS_OK);
    CHECK(spki.len == 91); /* SM2: an uncompressed point in a SubjectPublicKeyInfo */
    CHECK_STATUS(append(log, BATCH_A, NULL, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_log_sign_tree_head(log, signer, &head, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_new(&verifier, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_add_key(verifier, spki.data, spki.len, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_verify_tree_head(verifier, head.data, head.len, NULL), PRIVSHARE_STATUS_OK);
    /* Another SM2 key's verifier does not know the head's key. */
    CHECK_STATUS(privshare_signing_key_generate(PRIVSHARE_SIGNATURE_SM2, &other, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_public_pem(other, &other_pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_new(&wrong, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_audit_verifier_add_key(wrong, other_pem.data, other_pem.len, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_audit_verifier_verify_tree_head(wrong, head.data, head.len, &err),
                PRIVSHARE_STATUS_UNKNOWN_KEY);
    privshare_buffer_free(&pem);
    privshare_buffer_free(&spki);
    privshare_buffer_free(&other_pem);
    privshare_buffer_free(&head);
    privshare_audit_verifier_free(verifier);
    privshare_audit_verifier_free(wrong);
    privshare_audit_signer_free(signer);
    privshare_signing_key_free(identity);
    privshare_signing_key_free(other);
    privshare_audit_log_free(log);
    remove(path);
}

void run_audit_tests(void) {
    RUN(append_sign_verify_and_prove);
    RUN(sm2_identity_signs_tree_heads);
    RUN(a_torn_tail_is_refused_then_recovered);
    RUN(concurrent_appenders_on_one_handle);
    RUN(bad_arguments);
    RUN(audit_vectors);
}
