/* Envelopes: identities, the trust registry, sealing and opening with each error status, the
 * replay store and files. */
#define _POSIX_C_SOURCE 200809L /* for mkdtemp */
#include <stdlib.h>

#include "harness.h"

#define SENDER "CN/GOV/111/tax"
#define RECIPIENT "CN/GOV/222/stats"
#define T0 1800000000ull

typedef struct {
    privshare_signing_key *signer;
    privshare_recipient_key *recipient;
    privshare_trust_registry *registry;
    privshare_sealer *sealer;
} world;

static world world_new(uint32_t sig, uint32_t kem) {
    world w = {NULL, NULL, NULL, NULL};
    privshare_buffer pem = {NULL, 0};
    CHECK_STATUS(privshare_signing_key_generate(sig, &w.signer, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_recipient_key_generate(kem, &w.recipient, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_new(&w.registry, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_public_pem(w.signer, &pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_add(w.registry, SENDER, pem.data, pem.len, 0, 0, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&pem);
    CHECK_STATUS(privshare_sealer_new(SENDER, &w.sealer, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_recipient_key_public_pem(w.recipient, &pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_add_recipient(w.sealer, RECIPIENT, pem.data, pem.len, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&pem);
    CHECK_STATUS(privshare_sealer_set_text(w.sealer, "purpose", "statistics", NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_set_text(w.sealer, "legal_basis", "Statistics Law art. 7", NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_set_text(w.sealer, "content_type", "text/csv", NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_set_policy(w.sealer, "tax-to-stats", 3, (const uint8_t *)"h", 1, NULL, 0, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_add_column_key_version(w.sealer, "resident_id", 7, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_set_options(w.sealer, T0, 3600, PRIVSHARE_PADDING_MULTIPLE, 256, 1024, NULL),
                 PRIVSHARE_STATUS_OK);
    return w;
}

static void world_free(world *w) {
    privshare_signing_key_free(w->signer);
    privshare_recipient_key_free(w->recipient);
    privshare_trust_registry_free(w->registry);
    privshare_sealer_free(w->sealer);
}

static privshare_status open_at(const world *w, const privshare_replay_store *store, uint64_t now,
                                const privshare_buffer *env, privshare_buffer *payload, privshare_buffer *header) {
    return privshare_envelope_open(w->registry, RECIPIENT, w->recipient, store, now, 300, env->data, env->len,
                                   payload, header, NULL);
}

static void seal_open_every_suite(void) {
    uint32_t sigs[3] = {PRIVSHARE_SIGNATURE_ED25519, PRIVSHARE_SIGNATURE_ECDSA_P256, PRIVSHARE_SIGNATURE_SM2};
    uint32_t kems[3] = {PRIVSHARE_KEM_X25519, PRIVSHARE_KEM_P256, PRIVSHARE_KEM_SM2};
    int i;
    for (i = 0; i < 3; i++) {
        world w = world_new(sigs[i], kems[i]);
        privshare_replay_store *store = NULL;
        privshare_buffer env = {NULL, 0}, payload = {NULL, 0}, header = {NULL, 0};
        const char *data = "id,income\n1,100\n";
        CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_sealer_seal(w.sealer, w.signer, (const uint8_t *)data, strlen(data), &env, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK(env.len > 4 && memcmp(env.data, "PSEV", 4) == 0);
        CHECK_STATUS(open_at(&w, store, T0 + 10, &env, &payload, &header), PRIVSHARE_STATUS_OK);
        CHECK(buffer_is(&payload, data));
        CHECK(header.len > 0 && strstr((const char *)header.data, "\"purpose\":\"statistics\"") != NULL);
        CHECK(strstr((const char *)header.data, "\"column\":\"resident_id\",\"key_version\":7") != NULL);
        privshare_buffer_free(&payload);
        privshare_buffer_free(&header);
        /* Opened once: the second time is a replay, and nothing is written. */
        CHECK_STATUS(open_at(&w, store, T0 + 10, &env, &payload, &header), PRIVSHARE_STATUS_REPLAY);
        CHECK(payload.data == NULL && header.data == NULL);
        privshare_buffer_free(&env);
        privshare_replay_store_free(store);
        world_free(&w);
    }
}

static void each_check_has_its_status(void) {
    world w = world_new(PRIVSHARE_SIGNATURE_ED25519, PRIVSHARE_KEM_X25519);
    privshare_replay_store *store = NULL;
    privshare_recipient_key *stranger = NULL;
    privshare_trust_registry *empty = NULL;
    privshare_buffer env = {NULL, 0}, payload = {NULL, 0}, header = {NULL, 0};
    uint8_t *bad;
    CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_sealer_seal(w.sealer, w.signer, (const uint8_t *)"x", 1, &env, NULL), PRIVSHARE_STATUS_OK);
    bad = malloc(env.len);
    memcpy(bad, env.data, env.len);
    bad[env.len - 1] ^= 1;
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, w.recipient, store, T0, 300, bad, env.len, &payload,
                                        &header, &err),
                PRIVSHARE_STATUS_BAD_SIGNATURE);
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, w.recipient, store, T0, 300, bad, env.len - 1, &payload,
                                        &header, &err),
                PRIVSHARE_STATUS_MALFORMED_ENVELOPE);
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, w.recipient, store, T0 + 3600 + 300, 300, env.data,
                                        env.len, &payload, &header, &err),
                PRIVSHARE_STATUS_EXPIRED);
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, w.recipient, store, T0 - 301, 300, env.data, env.len,
                                        &payload, &header, &err),
                PRIVSHARE_STATUS_NOT_YET_VALID);
    CHECK_STATUS(privshare_recipient_key_generate(PRIVSHARE_KEM_X25519, &stranger, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, stranger, store, T0, 300, env.data, env.len, &payload,
                                        &header, &err),
                PRIVSHARE_STATUS_NOT_RECIPIENT);
    CHECK_STATUS(privshare_trust_registry_new(&empty, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_envelope_open(empty, RECIPIENT, w.recipient, store, T0, 300, env.data, env.len, &payload,
                                        &header, &err),
                PRIVSHARE_STATUS_UNKNOWN_SENDER);
    CHECK_FAILS(privshare_envelope_open(w.registry, "not an id", w.recipient, store, T0, 300, env.data, env.len,
                                        &payload, &header, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_envelope_open(w.registry, RECIPIENT, w.recipient, NULL, T0, 300, env.data, env.len, &payload,
                                        &header, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(payload.data == NULL && header.data == NULL);
    free(bad);
    privshare_buffer_free(&env);
    privshare_recipient_key_free(stranger);
    privshare_trust_registry_free(empty);
    privshare_replay_store_free(store);
    world_free(&w);
}

static void keys_load_sign_and_verify(void) {
    privshare_signing_key *key = NULL, *again = NULL;
    privshare_recipient_key *rkey = NULL;
    privshare_buffer priv = {NULL, 0}, pub = {NULL, 0}, sig = {NULL, 0};
    uint8_t id1[32], id2[32];
    privshare_trust_registry *reg = NULL, *loaded = NULL;
    privshare_buffer json = {NULL, 0};
    CHECK_STATUS(privshare_signing_key_generate(PRIVSHARE_SIGNATURE_ED25519, &key, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_private_pem(key, &priv, NULL), PRIVSHARE_STATUS_OK);
    CHECK(priv.len > 0 && memcmp(priv.data, "-----BEGIN PRIVATE KEY-----", 27) == 0);
    CHECK_STATUS(privshare_signing_key_load(priv.data, priv.len, &again, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_id(key, id1, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_id(again, id2, NULL), PRIVSHARE_STATUS_OK);
    CHECK(memcmp(id1, id2, 32) == 0);
    CHECK_STATUS(privshare_signing_key_public_pem(key, &pub, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_sign(again, (const uint8_t *)"tree head", 9, &sig, NULL), PRIVSHARE_STATUS_OK);
    CHECK(sig.len == 64);
    CHECK_STATUS(privshare_verify_signature(pub.data, pub.len, (const uint8_t *)"tree head", 9, sig.data, sig.len, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_verify_signature(pub.data, pub.len, (const uint8_t *)"tree heaD", 9, sig.data, sig.len, &err),
                PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    /* The registry verifies by participant and key id, with the registered key's algorithm. */
    CHECK_STATUS(privshare_trust_registry_new(&reg, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_add(reg, SENDER, pub.data, pub.len, 100, 200, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_verify(reg, SENDER, id1, 150, (const uint8_t *)"tree head", 9, sig.data,
                                                 sig.len, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_trust_registry_verify(reg, SENDER, id1, 200, (const uint8_t *)"tree head", 9, sig.data,
                                                sig.len, &err),
                PRIVSHARE_STATUS_UNKNOWN_SENDER);
    CHECK_FAILS(privshare_trust_registry_verify(reg, SENDER, id1, 150, (const uint8_t *)"x", 1, sig.data, sig.len, &err),
                PRIVSHARE_STATUS_AUTHENTICATION_FAILED);
    CHECK_STATUS(privshare_trust_registry_to_json(reg, &json, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_load_json(json.data, json.len, &loaded, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_verify(loaded, SENDER, id1, 150, (const uint8_t *)"tree head", 9, sig.data,
                                                 sig.len, NULL),
                 PRIVSHARE_STATUS_OK);
    /* Keys of one kind do not load as the other. */
    CHECK_FAILS(privshare_recipient_key_load(priv.data, priv.len, &rkey, &err), PRIVSHARE_STATUS_UNSUPPORTED_ALGORITHM);
    CHECK_FAILS(privshare_signing_key_load((const uint8_t *)"junk", 4, &again, &err), PRIVSHARE_STATUS_INVALID_INPUT);
    CHECK_FAILS(privshare_signing_key_generate(9, &again, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(rkey == NULL);
    privshare_buffer_free(&priv);
    privshare_buffer_free(&pub);
    privshare_buffer_free(&sig);
    privshare_buffer_free(&json);
    privshare_signing_key_free(key);
    privshare_signing_key_free(again);
    privshare_trust_registry_free(reg);
    privshare_trust_registry_free(loaded);
    privshare_recipient_key_free(NULL);
    privshare_signing_key_free(NULL);
    privshare_sealer_free(NULL);
    privshare_replay_store_free(NULL);
    privshare_trust_registry_free(NULL);
}

static void files_and_a_persistent_replay_store(void) {
    world w = world_new(PRIVSHARE_SIGNATURE_ED25519, PRIVSHARE_KEM_X25519);
    char dir[] = "/tmp/privshare-c-envelope-XXXXXX";
    char in[128], env[128], out[128], store_path[128];
    privshare_replay_store *store = NULL;
    privshare_buffer header = {NULL, 0};
    FILE *f;
    CHECK(mkdtemp(dir) != NULL);
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(env, sizeof env, "%s/e.psev", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    snprintf(store_path, sizeof store_path, "%s/replay", dir);
    f = fopen(in, "wb");
    CHECK(f != NULL);
    fputs("a,b\n1,2\n", f);
    fclose(f);
    CHECK_STATUS(privshare_sealer_seal_file(w.sealer, w.signer, in, env, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_replay_store_open(store_path, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_envelope_open_file(w.registry, RECIPIENT, w.recipient, store, T0, 300, env, out, &header, NULL),
                 PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&header);
    privshare_replay_store_free(store);
    /* After a restart the store still knows the envelope. */
    remove(out);
    CHECK_STATUS(privshare_replay_store_open(store_path, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(privshare_envelope_open_file(w.registry, RECIPIENT, w.recipient, store, T0, 300, env, out, &header, &err),
                PRIVSHARE_STATUS_REPLAY);
    f = fopen(out, "rb");
    CHECK(f == NULL); /* no output on failure */
    if (f) fclose(f);
    privshare_replay_store_free(store);
    remove(in);
    remove(env);
    remove(store_path);
    remove(dir);
    world_free(&w);
}

void run_envelope_tests(void) {
    RUN(seal_open_every_suite);
    RUN(each_check_has_its_status);
    RUN(keys_load_sign_and_verify);
    RUN(files_and_a_persistent_replay_store);
}
