/* Sharing policies through the C ABI: a plan protects a CSV file (output and report checked), a
 * policy with problems and data the policy does not match give the policy status with every
 * problem named, a value an action cannot take is named by row and column, one plan serves
 * several threads at once, a package shared with fresh keys opens (and only once), a tampered
 * package is refused without output, NULL arguments are refused, and JSON Lines and padding
 * reach the format-taking calls. */
#define _POSIX_C_SOURCE 200809L /* for mkdtemp */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"

#define SENDER "CN/GOV/111/clinic"
#define RECIPIENT "CN/GOV/222/registry"

static const char POLICY[] =
    "policy = \"clinic-to-registry\"\n"
    "version = 3\n"
    "dataset = \"visits-2026\"\n"
    "sender = \"" SENDER "\"\n"
    "recipients = [\"" RECIPIENT "\"]\n"
    "purpose = \"disease registry\"\n"
    "suite = \"aes\"\n"
    "[columns]\n"
    "visit = { action = \"keep\" }\n"
    "patient = { action = \"token\", purpose = \"registry-linkage\" }\n"
    "mobile = { action = \"mask\", rule = \"mobile\" }\n"
    "notes = { action = \"drop\" }\n";

static const char CSV[] =
    "visit,patient,mobile,notes\n"
    "1,Li Lei,13812345678,fever\n"
    "2,Han Meimei,13987654321,cough\n";

/* A temporary directory and the paths the tests use inside it. */
typedef struct {
    char dir[64], in[96], out[96], pkg[96], opened[96];
} files;

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* The whole file as a buffer owned by the caller (free(buf.data)); {NULL, 0} if it is absent. */
static privshare_buffer read_all(const char *path) {
    privshare_buffer b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    long n;
    if (!f) return b;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.data = malloc(n > 0 ? (size_t)n : 1);
    if (b.data == NULL) exit(2);
    b.len = fread(b.data, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static int exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

static files files_new(const char *csv) {
    files f;
    strcpy(f.dir, "/tmp/privshare-c-policy-XXXXXX");
    CHECK(mkdtemp(f.dir) != NULL);
    snprintf(f.in, sizeof f.in, "%s/in.csv", f.dir);
    snprintf(f.out, sizeof f.out, "%s/out.csv", f.dir);
    snprintf(f.pkg, sizeof f.pkg, "%s/package.pse", f.dir);
    snprintf(f.opened, sizeof f.opened, "%s/opened.csv", f.dir);
    write_text(f.in, csv);
    return f;
}

static void files_free(const files *f) {
    remove(f->in);
    remove(f->out);
    remove(f->pkg);
    remove(f->opened);
    remove(f->dir);
}

static const privshare_plan *plan_for(const privshare_keyset *ks, const char *policy, uint32_t format) {
    const privshare_plan *plan = NULL;
    CHECK_STATUS(privshare_plan_new(policy, format, ks, &plan, NULL), PRIVSHARE_STATUS_OK);
    return plan;
}

/* Checks a policy error: its status and code, every `needles` string in the message, and each of
 * `details` in the error's JSON details. */
static void check_policy_error(privshare_status status, privshare_error *err, const char *const *needles,
                               const char *const *details) {
    const char *d;
    CHECK_STATUS(status, PRIVSHARE_STATUS_POLICY);
    CHECK(err != NULL);
    if (err == NULL) return;
    CHECK(privshare_error_code(err) == PRIVSHARE_STATUS_POLICY);
    for (; *needles; needles++) CHECK(strstr(privshare_error_message(err), *needles) != NULL);
    d = privshare_error_details(err);
    CHECK(d != NULL && d[0] == '[');
    for (; d && *details; details++) CHECK(strstr(d, *details) != NULL);
    privshare_error_free(err);
}

static void protect_a_csv_file(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    files f = files_new(CSV);
    privshare_buffer report = {NULL, 0}, out;
    privshare_keyset_free(ks); /* the plan holds its own derived keys */
    CHECK_STATUS(privshare_plan_protect_csv_file(plan, f.in, f.out, 0, &report, NULL), PRIVSHARE_STATUS_OK);
    out = read_all(f.out);
    CHECK(buffer_contains(&out, "visit,patient,mobile\n1,pt1:"));
    CHECK(buffer_contains(&out, ",138****5678\n2,pt1:"));
    CHECK(buffer_contains(&out, ",139****4321\n"));
    CHECK(!buffer_contains(&out, "Li Lei") && !buffer_contains(&out, "fever"));
    CHECK(buffer_contains(&report, "\"policy\": \"clinic-to-registry\""));
    CHECK(buffer_contains(&report, "\"policy_version\": 3"));
    CHECK(buffer_contains(&report, "\"rows\": 2"));
    CHECK(buffer_contains(&report, "\"action\": \"token\""));
    CHECK(buffer_contains(&report, "\"action\": \"drop\""));
    privshare_buffer_free(&report);
    free(out.data);

    /* A JSON policy; another delimiter. */
    {
        const char *json =
            "{\"policy\":\"p\",\"version\":1,\"dataset\":\"d\",\"purpose\":\"x\",\"suite\":\"aes\","
            "\"columns\":{\"a\":{\"action\":\"keep\"},\"b\":{\"action\":\"mask\",\"rule\":\"mobile\"}}}";
        const privshare_plan *jp;
        ks = fixture_keyset(PRIVSHARE_SUITE_AES);
        jp = plan_for(ks, json, PRIVSHARE_POLICY_JSON);
        write_text(f.in, "a;b\nx;13812345678\n");
        remove(f.out);
        CHECK_STATUS(privshare_plan_protect_csv_file(jp, f.in, f.out, ';', &report, NULL), PRIVSHARE_STATUS_OK);
        out = read_all(f.out);
        CHECK(buffer_is(&out, "a;b\nx;138****5678\n"));
        free(out.data);
        privshare_buffer_free(&report);
        privshare_plan_free(jp);
        privshare_keyset_free(ks);
    }
    privshare_plan_free(plan);
    privshare_plan_free(NULL);
    files_free(&f);
}

static void policy_problems_name_their_lines(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = NULL;
    privshare_error *err = NULL;
    /* Line 2: version 0; line 10: an unknown action. */
    const char *bad =
        "policy = \"p\"\n"
        "version = 0\n"
        "dataset = \"d\"\n"
        "purpose = \"x\"\n"
        "suite = \"aes\"\n"
        "[columns]\n"
        "a = { action = \"keep\" }\n"
        "\n"
        "\n"
        "b = { action = \"shred\" }\n";
    const char *needles[] = {"2 problems", "line 2: ", "line 10: ", NULL};
    const char *details[] = {"\"line\":2", "\"line\":10", "\"path\":\"version\"", NULL};
    privshare_status status = privshare_plan_new(bad, PRIVSHARE_POLICY_TOML, ks, &plan, &err);
    check_policy_error(status, err, needles, details);
    CHECK(plan == NULL);

    /* A TOML syntax error is one problem with its line. */
    {
        const char *syntax_needles[] = {"1 problem", "line 3: not valid TOML", NULL};
        const char *syntax_details[] = {"\"line\":3", NULL};
        err = NULL;
        status = privshare_plan_new("policy = \"p\"\nversion = 1\ndataset = \n", PRIVSHARE_POLICY_TOML, ks, &plan, &err);
        check_policy_error(status, err, syntax_needles, syntax_details);
        CHECK(plan == NULL);
    }

    /* The suite of the policy and of the keyset's primary must agree. */
    {
        privshare_keyset *sm = fixture_keyset(PRIVSHARE_SUITE_SM);
        const char *suite_needles[] = {"suite is `aes` but the keyset's primary key is of suite `sm`", NULL};
        const char *suite_details[] = {"\"path\":\"suite\"", NULL};
        err = NULL;
        status = privshare_plan_new(POLICY, PRIVSHARE_POLICY_TOML, sm, &plan, &err);
        check_policy_error(status, err, suite_needles, suite_details);
        CHECK(plan == NULL);
        privshare_keyset_free(sm);
    }

    /* JSON is not TOML; an unknown format is an argument error. */
    CHECK_STATUS(privshare_plan_new(POLICY, PRIVSHARE_POLICY_JSON, ks, &plan, NULL), PRIVSHARE_STATUS_POLICY);
    CHECK_FAILS(privshare_plan_new(POLICY, 9, ks, &plan, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(plan == NULL);
    privshare_keyset_free(ks);
}

static void data_columns_must_match_the_policy(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    /* `age` is not in the policy; `notes` (line 12) is not in the data. */
    files f = files_new("visit,patient,mobile,age\n1,Li Lei,13812345678,41\n");
    privshare_buffer report = {NULL, 0};
    privshare_error *err = NULL;
    const char *needles[] = {"`age` (column 4) is not in the policy", "line 12: column `notes` is not in the data",
                             NULL};
    const char *details[] = {"\"line\":12", "\"path\":\"columns.notes\"", NULL};
    privshare_status status = privshare_plan_protect_csv_file(plan, f.in, f.out, ',', &report, &err);
    check_policy_error(status, err, needles, details);
    CHECK(report.data == NULL && report.len == 0);
    CHECK(!exists(f.out));

    /* A malformed record names its line, and no value. */
    write_text(f.in, "visit,patient,mobile,notes\n1,Li Lei,13812345678,a\n2,\"Han Meimei,13987654321,b\n");
    err = NULL;
    CHECK_STATUS(privshare_plan_protect_csv_file(plan, f.in, f.out, ',', &report, &err), PRIVSHARE_STATUS_INVALID_INPUT);
    if (err) {
        uint64_t line = 0;
        CHECK(privshare_error_line(err, &line) && line == 3);
        CHECK(strstr(privshare_error_description(err), "Han") == NULL);
        privshare_error_free(err);
    }
    CHECK(report.data == NULL && !exists(f.out));

    /* A bad delimiter. */
    CHECK_FAILS(privshare_plan_protect_csv_file(plan, f.in, f.out, '"', &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    files_free(&f);
}

static void invalid_values_are_named_by_row_and_column(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    char policy[512];
    const privshare_plan *plan;
    /* FPE values cannot name their key version: the policy pins it. */
    snprintf(policy, sizeof policy,
             "policy = \"p\"\nversion = 1\ndataset = \"d\"\npurpose = \"x\"\nsuite = \"aes\"\n"
             "on_invalid = \"error\"\n[columns]\nid = { action = \"keep\" }\n"
             "mobile = { action = \"fpe\", kind = \"mobile\", key_version = %u }\n",
             (unsigned)privshare_keyset_primary_id(ks));
    plan = plan_for(ks, policy, PRIVSHARE_POLICY_TOML);
    files f = files_new("id,mobile\n1,13812345678\n2,99999\n");
    privshare_buffer report = {NULL, 0};
    privshare_error *err = NULL;
    CHECK_STATUS(privshare_plan_protect_csv_file(plan, f.in, f.out, 0, &report, &err),
                 PRIVSHARE_STATUS_INVALID_IDENTIFIER);
    if (err) {
        uint64_t row = 0, line = 0;
        const char *column = privshare_error_column(err);
        CHECK(column != NULL && strcmp(column, "mobile") == 0);
        CHECK(privshare_error_row(err, &row) && row == 1);
        CHECK(privshare_error_line(err, &line) && line == 3);
        CHECK(strstr(privshare_error_description(err), "99999") == NULL);
        privshare_error_free(err);
    }
    CHECK(report.data == NULL && !exists(f.out));
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    files_free(&f);
}

#define THREADS 4

struct protect_job {
    const privshare_plan *plan;
    const char *in;
    char out[112];
    privshare_status status;
};

static void *protect_job_run(void *arg) {
    struct protect_job *job = arg;
    privshare_buffer report = {NULL, 0};
    job->status = privshare_plan_protect_csv_file(job->plan, job->in, job->out, 0, &report, NULL);
    privshare_buffer_free(&report);
    return NULL;
}

static void one_plan_many_threads(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    files f = files_new(CSV);
    struct protect_job jobs[THREADS];
    pthread_t threads[THREADS];
    privshare_buffer first = {NULL, 0};
    int i;
    privshare_keyset_free(ks);
    for (i = 0; i < THREADS; i++) {
        jobs[i].plan = plan;
        jobs[i].in = f.in;
        jobs[i].status = 1;
        snprintf(jobs[i].out, sizeof jobs[i].out, "%s/out-%d.csv", f.dir, i);
        CHECK(pthread_create(&threads[i], NULL, protect_job_run, &jobs[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        privshare_buffer out;
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK_STATUS(jobs[i].status, PRIVSHARE_STATUS_OK);
        out = read_all(jobs[i].out);
        /* Tokens and masks are deterministic: every thread wrote the same file. */
        CHECK(out.len > 0 && (i == 0 || buffers_equal(&first, &out)));
        if (i == 0) {
            first = out;
        } else {
            free(out.data);
        }
        remove(jobs[i].out);
    }
    free(first.data);
    privshare_plan_free(plan);
    files_free(&f);
}

/* A sender and a recipient with fresh keys, the recipient trusting the sender. */
typedef struct {
    privshare_signing_key *signer;
    privshare_recipient_key *recipient;
    privshare_trust_registry *registry;
    privshare_buffer recipient_pem;
} parties;

static parties parties_new(void) {
    parties p = {NULL, NULL, NULL, {NULL, 0}};
    privshare_buffer pem = {NULL, 0};
    CHECK_STATUS(privshare_signing_key_generate(PRIVSHARE_SIGNATURE_ED25519, &p.signer, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_recipient_key_generate(PRIVSHARE_KEM_X25519, &p.recipient, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_recipient_key_public_pem(p.recipient, &p.recipient_pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_new(&p.registry, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_signing_key_public_pem(p.signer, &pem, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(privshare_trust_registry_add(p.registry, SENDER, pem.data, pem.len, 0, 0, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&pem);
    return p;
}

static void parties_free(parties *p) {
    privshare_signing_key_free(p->signer);
    privshare_recipient_key_free(p->recipient);
    privshare_trust_registry_free(p->registry);
    privshare_buffer_free(&p->recipient_pem);
}

static privshare_status share(const privshare_plan *plan, const parties *p, const files *f, privshare_buffer *report) {
    const char *ids[] = {RECIPIENT};
    const uint8_t *keys[] = {p->recipient_pem.data};
    const size_t lens[] = {p->recipient_pem.len};
    return privshare_plan_share_csv_file(plan, f->in, f->pkg, ',', p->signer, ids, keys, lens, 1, 3600, report, NULL);
}

static privshare_status open_package(const parties *p, const privshare_replay_store *store, const files *f,
                                     privshare_buffer *report, privshare_buffer *header, privshare_error **err) {
    return privshare_package_open_file(p->registry, RECIPIENT, p->recipient, store, 0, 300, f->pkg, f->opened, report,
                                       header, err);
}

static void share_then_open(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    parties p = parties_new();
    files f = files_new(CSV);
    privshare_replay_store *store = NULL;
    privshare_buffer sent = {NULL, 0}, got = {NULL, 0}, header = {NULL, 0}, protected_, opened;
    CHECK_STATUS(share(plan, &p, &f, &sent), PRIVSHARE_STATUS_OK);
    CHECK(buffer_contains(&sent, "\"rows\": 2"));
    CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(open_package(&p, store, &f, &got, &header, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffers_equal(&sent, &got));
    CHECK(buffer_contains(&header, "\"sender\":\"" SENDER "\""));
    CHECK(buffer_contains(&header, "\"id\":\"clinic-to-registry\""));
    CHECK(buffer_contains(&header, "\"version\":3"));
    CHECK(buffer_contains(&header, "\"purpose\":\"disease registry\""));
    CHECK(buffer_contains(&header, "\"column\":\"patient\""));
    /* Tokens and masks are deterministic: the opened data is what protecting the file gives. */
    CHECK_STATUS(privshare_plan_protect_csv_file(plan, f.in, f.out, ',', &protected_, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&protected_);
    protected_ = read_all(f.out);
    opened = read_all(f.opened);
    CHECK(opened.len > 0 && buffers_equal(&protected_, &opened));
    free(protected_.data);
    free(opened.data);
    privshare_buffer_free(&got);
    privshare_buffer_free(&header);

    /* Opened once: the second time is a replay, and nothing is written. */
    remove(f.opened);
    CHECK_FAILS(open_package(&p, store, &f, &got, &header, &err), PRIVSHARE_STATUS_REPLAY);
    CHECK(got.data == NULL && header.data == NULL && !exists(f.opened));

    /* Keys for a participant the policy does not name, or none for one it does, are refused. */
    {
        const char *ids[] = {RECIPIENT, "CN/GOV/333/other"};
        const uint8_t *keys[] = {p.recipient_pem.data, p.recipient_pem.data};
        const size_t lens[] = {p.recipient_pem.len, p.recipient_pem.len};
        remove(f.pkg);
        CHECK_FAILS(privshare_plan_share_csv_file(plan, f.in, f.pkg, ',', p.signer, ids, keys, lens, 2, 0, &sent, &err),
                    PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK_FAILS(privshare_plan_share_csv_file(plan, f.in, f.pkg, ',', p.signer, NULL, NULL, NULL, 0, 0, &sent, &err),
                    PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK(!exists(f.pkg));
    }
    privshare_buffer_free(&sent);
    privshare_replay_store_free(store);
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    parties_free(&p);
    files_free(&f);
}

static void tampered_package_is_refused(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    parties p = parties_new();
    files f = files_new(CSV);
    privshare_replay_store *store = NULL;
    privshare_buffer report = {NULL, 0}, header = {NULL, 0}, pkg;
    FILE *out;
    CHECK_STATUS(share(plan, &p, &f, &report), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&report);
    pkg = read_all(f.pkg);
    CHECK(pkg.len > 64);
    /* One bit of the last chunk of encrypted data (the trailer after it is 66 bytes): the body's
     * hash, which the signature covers, no longer matches. */
    pkg.data[pkg.len - 100] ^= 0x01;
    out = fopen(f.pkg, "wb");
    CHECK(out != NULL);
    if (out) {
        fwrite(pkg.data, 1, pkg.len, out);
        fclose(out);
    }
    free(pkg.data);
    CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_FAILS(open_package(&p, store, &f, &report, &header, &err), PRIVSHARE_STATUS_BAD_SIGNATURE);
    CHECK(report.data == NULL && header.data == NULL && !exists(f.opened));

    /* A plain envelope is not a package. */
    {
        privshare_sealer *sealer = NULL;
        CHECK_STATUS(privshare_sealer_new(SENDER, &sealer, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(
            privshare_sealer_add_recipient(sealer, RECIPIENT, p.recipient_pem.data, p.recipient_pem.len, NULL),
            PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_sealer_seal_file(sealer, p.signer, f.in, f.pkg, NULL), PRIVSHARE_STATUS_OK);
        CHECK_FAILS(open_package(&p, store, &f, &report, &header, &err), PRIVSHARE_STATUS_INVALID_INPUT);
        CHECK(!exists(f.opened));
        privshare_sealer_free(sealer);
    }
    privshare_replay_store_free(store);
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    parties_free(&p);
    files_free(&f);
}

static void null_arguments_are_refused(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML), *none = NULL;
    parties p = parties_new();
    files f = files_new(CSV);
    privshare_replay_store *store = NULL;
    privshare_buffer report = {NULL, 0}, header = {NULL, 0};
    const char *ids[] = {RECIPIENT}, *null_ids[] = {NULL};
    const uint8_t *keys[] = {p.recipient_pem.data}, *null_keys[] = {NULL};
    const size_t lens[] = {p.recipient_pem.len};
    CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);

    CHECK_FAILS(privshare_plan_new(NULL, PRIVSHARE_POLICY_TOML, ks, &none, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_plan_new(POLICY, PRIVSHARE_POLICY_TOML, NULL, &none, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_plan_new(POLICY, PRIVSHARE_POLICY_TOML, ks, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(none == NULL);

    CHECK_FAILS(privshare_plan_protect_csv_file(NULL, f.in, f.out, 0, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_plan_protect_csv_file(plan, NULL, f.out, 0, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_plan_protect_csv_file(plan, f.in, NULL, 0, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_plan_protect_csv_file(plan, f.in, f.out, 0, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(!exists(f.out));

#define SHARE(pl, in, pkg, signer, i, k, l, n, rep) \
    privshare_plan_share_csv_file(pl, in, pkg, 0, signer, i, k, l, n, 0, rep, &err)
    CHECK_FAILS(SHARE(NULL, f.in, f.pkg, p.signer, ids, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, NULL, f.pkg, p.signer, ids, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, NULL, p.signer, ids, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, NULL, ids, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, NULL, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, ids, NULL, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, ids, keys, NULL, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, null_ids, keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, ids, null_keys, lens, 1, &report), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(SHARE(plan, f.in, f.pkg, p.signer, ids, keys, lens, 1, NULL), PRIVSHARE_STATUS_NULL_ARGUMENT);
#undef SHARE
    CHECK(!exists(f.pkg));
    /* The message names the element. */
    {
        privshare_error *err = NULL;
        privshare_plan_share_csv_file(plan, f.in, f.pkg, 0, p.signer, ids, null_keys, lens, 1, 0, &report, &err);
        CHECK(err != NULL && strstr(privshare_error_message(err), "recipient_keys[0]") != NULL);
        privshare_error_free(err);
    }

    CHECK_STATUS(share(plan, &p, &f, &report), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&report);
#define OPEN(reg, id, key, st, in, out, rep, hdr) \
    privshare_package_open_file(reg, id, key, st, 0, 300, in, out, rep, hdr, &err)
    CHECK_FAILS(OPEN(NULL, RECIPIENT, p.recipient, store, f.pkg, f.opened, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, NULL, p.recipient, store, f.pkg, f.opened, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, NULL, store, f.pkg, f.opened, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, p.recipient, NULL, f.pkg, f.opened, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, p.recipient, store, NULL, f.opened, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, p.recipient, store, f.pkg, NULL, &report, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, p.recipient, store, f.pkg, f.opened, NULL, &header),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(OPEN(p.registry, RECIPIENT, p.recipient, store, f.pkg, f.opened, &report, NULL),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
#undef OPEN
    CHECK(report.data == NULL && header.data == NULL && !exists(f.opened));
    /* None of the refused calls consumed the package. */
    CHECK_STATUS(open_package(&p, store, &f, &report, &header, NULL), PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&report);
    privshare_buffer_free(&header);

    privshare_replay_store_free(store);
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    parties_free(&p);
    files_free(&f);
}

/* JSON Lines through the format-taking calls, and a padded package. */
static void json_lines_and_padding(void) {
    privshare_keyset *ks = fixture_keyset(PRIVSHARE_SUITE_AES);
    const privshare_plan *plan = plan_for(ks, POLICY, PRIVSHARE_POLICY_TOML);
    parties p = parties_new();
    files f = files_new("{\"visit\": 1, \"patient\": \"Li Lei\", \"mobile\": \"13812345678\", \"notes\": \"fever\"}\n"
                        "{\"visit\": 2.0, \"patient\": \"Han Meimei\", \"mobile\": null}\n");
    privshare_replay_store *store = NULL;
    privshare_buffer report = {NULL, 0}, header = {NULL, 0}, out, opened, pkg;
    const char *ids[] = {RECIPIENT};
    const uint8_t *keys[] = {p.recipient_pem.data};
    const size_t lens[] = {p.recipient_pem.len};

    CHECK_STATUS(privshare_plan_protect_file(plan, f.in, f.out, PRIVSHARE_DATA_JSONL, 0, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    out = read_all(f.out);
    /* Kept numbers stay as written, null stays null, the dropped key is gone. */
    CHECK(buffer_contains(&out, "{\"visit\":1,\"patient\":\"pt1:"));
    CHECK(buffer_contains(&out, "\"mobile\":\"138****5678\"}\n{\"visit\":2.0,"));
    CHECK(buffer_contains(&out, "\"mobile\":null}\n"));
    CHECK(!buffer_contains(&out, "notes") && !buffer_contains(&out, "Li Lei"));
    CHECK(buffer_contains(&report, "\"absent\": 1"));
    privshare_buffer_free(&report);

    /* Revealing: tokens and masks cannot be reversed, so the file comes back as it is. */
    CHECK_STATUS(privshare_plan_reveal_file(plan, f.out, f.opened, PRIVSHARE_DATA_JSONL, 0, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    opened = read_all(f.opened);
    CHECK(buffers_equal(&out, &opened));
    free(opened.data);
    privshare_buffer_free(&report);
    remove(f.opened);

    /* Shared padded to a power of two: the package is at least 1 KiB though the data is tiny, and
     * opens to what protecting gave. */
    CHECK_STATUS(privshare_plan_share_file(plan, f.in, f.pkg, PRIVSHARE_DATA_JSONL, 0, p.signer, ids, keys, lens, 1,
                                           0, PRIVSHARE_PAD_POWER_OF_TWO, 0, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    privshare_buffer_free(&report);
    pkg = read_all(f.pkg);
    CHECK(pkg.len > 1024 && out.len < 512);
    free(pkg.data);
    CHECK_STATUS(privshare_replay_store_open(NULL, &store, NULL), PRIVSHARE_STATUS_OK);
    CHECK_STATUS(open_package(&p, store, &f, &report, &header, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_contains(&header, "application/vnd.privshare.package+jsonl"));
    opened = read_all(f.opened);
    CHECK(buffers_equal(&out, &opened));
    free(opened.data);
    free(out.data);
    privshare_buffer_free(&report);
    privshare_buffer_free(&header);

    /* An unknown format or padding, or a multiple of 0, is an argument error. */
    remove(f.out);
    remove(f.pkg);
    CHECK_FAILS(privshare_plan_protect_file(plan, f.in, f.out, 9, 0, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_plan_share_file(plan, f.in, f.pkg, PRIVSHARE_DATA_JSONL, 0, p.signer, ids, keys, lens, 1, 0,
                                          PRIVSHARE_PAD_MULTIPLE, 0, &report, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_plan_share_file(plan, f.in, f.pkg, PRIVSHARE_DATA_JSONL, 0, p.signer, ids, keys, lens, 1, 0, 7,
                                          0, &report, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(!exists(f.out) && !exists(f.pkg));

    privshare_replay_store_free(store);
    privshare_plan_free(plan);
    privshare_keyset_free(ks);
    parties_free(&p);
    files_free(&f);
}

void run_policy_tests(void) {
    RUN(protect_a_csv_file);
    RUN(policy_problems_name_their_lines);
    RUN(data_columns_must_match_the_policy);
    RUN(invalid_values_are_named_by_row_and_column);
    RUN(one_plan_many_threads);
    RUN(share_then_open);
    RUN(tampered_package_is_refused);
    RUN(null_arguments_are_refused);
    RUN(json_lines_and_padding);
}
