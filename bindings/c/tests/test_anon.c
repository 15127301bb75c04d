/* Anonymization through the C ABI: k-anonymity over a tiny hierarchy, an infeasible configuration
 * (status 600, the best report in the error's details), NULL arguments and bad JSON; the same from columns (privshare_anonymize_columns):
 * identical output to the CSV call on the same data, and every kind of bad column input. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

static const char CSV[] =
    "zip,disease\n"
    "47677,flu\n"
    "47678,cold\n"
    "47602,flu\n"
    "47605,cold\n";

#define ZIP_HIERARCHY                                                                                    \
    "{\"type\":\"rows\",\"rows\":[[\"47677\",\"4767*\",\"*\"],[\"47678\",\"4767*\",\"*\"],[\"47602\",\"4760*\"," \
    "\"*\"],[\"47605\",\"4760*\",\"*\"]]}"

static const char K2[] = "{\"attributes\":[{\"name\":\"zip\",\"role\":\"quasi_identifying\",\"hierarchy\":" ZIP_HIERARCHY
                         "},{\"name\":\"disease\",\"role\":\"insensitive\"}],"
                         "\"models\":[{\"model\":\"k_anonymity\",\"k\":2}]}";

/* The zip codes generalize to two classes of two at most, so k=3 cannot hold without suppressing
 * every record, and the limit allows none. */
static const char K3[] =
    "{\"attributes\":[{\"name\":\"zip\",\"role\":\"quasi_identifying\",\"hierarchy\":"
    "{\"type\":\"rows\",\"rows\":[[\"47677\",\"4767*\"],[\"47678\",\"4767*\"],[\"47602\",\"4760*\"],"
    "[\"47605\",\"4760*\"]]}}],\"models\":[{\"model\":\"k_anonymity\",\"k\":3}],\"suppression_limit\":0}";

static void k2_generalizes_one_level(void) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', K2, &out, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&out, "zip,disease\n4767*,flu\n4767*,cold\n4760*,flu\n4760*,cold\n"));
    CHECK(report.len > 0 && report.data[0] == '{');
    CHECK(buffer_contains(&report, "\"suppressed\": 0"));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
    /* Delimiter 0 means ','. */
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), 0, K2, &out, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(buffer_contains(&out, "4767*,flu"));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
}

/* The details of an infeasible request: the report of the best transformation (every record of
 * the four suppressed, k=3 not holding), as JSON owned by the error. */
static void check_best_possible(const privshare_error *err) {
    const char *d = privshare_error_details(err);
    CHECK(d != NULL);
    if (d == NULL) return;
    CHECK(d[0] == '{' && strstr(d, "\"suppressed\": 4") != NULL);
    CHECK(strstr(d, "3-anonymity") != NULL && strstr(d, "\"holds\": false") != NULL);
    CHECK(strstr(d, "\"attribute\": \"zip\"") != NULL && strstr(d, "\"level\": ") != NULL);
}

static void infeasible_is_600_and_says_so(void) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    privshare_error *err = NULL;
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', K3, &out, &report, &err),
                 PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE);
    CHECK(privshare_error_code(err) == 600);
    CHECK(strstr(privshare_error_message(err), "no transformation satisfies") != NULL);
    CHECK(strstr(privshare_error_message(err), "suppresses 4 records") != NULL);
    CHECK(strstr(privshare_error_description(err), "code 600") != NULL);
    CHECK(out.data == NULL && report.data == NULL); /* nothing on failure */
    check_best_possible(err);
    privshare_error_free(err);
}

/* Entropy l-diversity with l=3 cannot hold: each class has at most two diseases. */
static const char ENTROPY3[] = "{\"attributes\":[{\"name\":\"zip\",\"role\":\"quasi_identifying\",\"hierarchy\":"
                               ZIP_HIERARCHY "},{\"name\":\"disease\",\"role\":\"sensitive\"}],"
                               "\"models\":[{\"model\":\"entropy_l\",\"l\":3,\"attribute\":\"disease\"}],"
                               "\"suppression_limit\":0}";

static void infeasible_details_are_the_best_report(void) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    privshare_error *err = NULL;
    const char *d;
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', ENTROPY3, &out, &report, &err),
                 PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE);
    CHECK(out.data == NULL && out.len == 0 && report.data == NULL && report.len == 0);
    d = privshare_error_details(err);
    CHECK(d != NULL);
    if (d != NULL) {
        CHECK(d[0] == '{' && strstr(d, "\"quality\"") != NULL && strstr(d, "\"suppressed\": 4") != NULL);
        CHECK(strstr(d, "entropy 3-diversity of disease") != NULL && strstr(d, "\"holds\": false") != NULL);
        CHECK(strstr(d, "\"holds\": true") == NULL);
        CHECK(strstr(d, "flu") == NULL && strstr(d, "4767") == NULL); /* no data values */
    }
    privshare_error_free(err);
    /* An ordinary error has none; nor does NULL. */
    err = NULL;
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', "{", &out, &report, &err),
                 PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK(err != NULL && privshare_error_details(err) == NULL);
    privshare_error_free(err);
    CHECK(privshare_error_details(NULL) == NULL);
}

static void anonymize_errors(void) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    const uint8_t *csv = (const uint8_t *)CSV;
    size_t len = strlen(CSV);
    CHECK_FAILS(privshare_anonymize_csv(NULL, len, ',', K2, &out, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', NULL, &out, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', K2, NULL, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', K2, &out, NULL, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', "{", &out, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', "{\"no_such_field\":1}", &out, &report, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, ',', "\xff", &out, &report, &err), PRIVSHARE_STATUS_NOT_UTF8);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, '"', K2, &out, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv(csv, len, 0xC3, K2, &out, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    /* A spec naming a column the table lacks names the column. */
    {
        privshare_error *err = NULL;
        CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)"age,x\n1,2\n", 10, ',', K2, &out, &report, &err),
                     PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), "zip") == 0);
        privshare_error_free(err);
    }
    /* A value missing from the hierarchy names the file's line (the header is line 1), the data
     * row and the column; a malformed spec names its line. */
    {
        static const char MISSING[] = "zip,disease\n47677,flu\n47678,cold\n\n47602,flu\n57605,cold\n";
        privshare_error *err = NULL;
        uint64_t line = 0, row = 0;
        CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)MISSING, strlen(MISSING), ',', K2, &out, &report, &err),
                     PRIVSHARE_STATUS_INVALID_INPUT);
        CHECK(privshare_error_line(err, &line) && line == 6);
        CHECK(privshare_error_row(err, &row) && row == 3);
        CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), "zip") == 0);
        CHECK(strstr(privshare_error_description(err), "line 6") != NULL);
        CHECK(!privshare_error_line(err, NULL) && !privshare_error_line(NULL, &line));
        privshare_error_free(err);
        err = NULL;
        CHECK_STATUS(privshare_anonymize_csv(csv, len, ',', "{\n\"models\": [],\n\"x\": 1}", &out, &report, &err),
                     PRIVSHARE_STATUS_INVALID_ARGUMENT);
        CHECK(privshare_error_line(err, &line) && line == 3);
        privshare_error_free(err);
    }
    CHECK(out.data == NULL && report.data == NULL);
}


/* ---- columns in ------------------------------------------------------------------------------ */

/* Up to four columns of up to eight text values, packed with pack_strings. */
typedef struct {
    size_t n;
    const char *names[4];
    const uint8_t *data[4];
    const size_t *offsets[4];
    size_t counts[4];
    uint8_t *own_data[4];
    size_t *own_offsets[4];
} columns;

static void columns_add(columns *c, const char *name, const char *const *values, size_t count) {
    size_t i = c->n++;
    c->names[i] = name;
    pack_strings(values, count, &c->own_data[i], &c->own_offsets[i]);
    c->data[i] = c->own_data[i];
    c->offsets[i] = c->own_offsets[i];
    c->counts[i] = count;
}

static void columns_free(columns *c) {
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->own_data[i]);
        free(c->own_offsets[i]);
    }
    c->n = 0;
}

static privshare_status anonymize_columns(const columns *c, uint8_t delimiter, const char *config,
                                          privshare_buffer *out, privshare_buffer *report, privshare_error **err) {
    return privshare_anonymize_columns(c->names, c->n, c->data, c->offsets, c->counts, delimiter, config, out, report,
                                       err);
}

static const char *const ZIPS[] = {"47677", "47678", "47602", "47605"};
static const char *const DISEASES[] = {"flu", "cold", "flu", "cold"};

static void zip_disease(columns *c) {
    memset(c, 0, sizeof *c);
    columns_add(c, "zip", ZIPS, 4);
    columns_add(c, "disease", DISEASES, 4);
}

/* Whether `n` bytes at `p` contain the NUL-terminated `s`. */
static int has(const uint8_t *p, size_t n, const char *s) {
    size_t m = strlen(s), i;
    for (i = 0; i + m <= n; i++)
        if (memcmp(p + i, s, m) == 0) return 1;
    return 0;
}

/* Two reports are the same but for the search's wall time (the one line holding "search_ms"). */
static int same_report_but_time(const privshare_buffer *a, const privshare_buffer *b) {
    size_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        size_t ei = i, ej = j;
        while (ei < a->len && a->data[ei] != '\n') ei++;
        while (ej < b->len && b->data[ej] != '\n') ej++;
        {
            int ta = has(a->data + i, ei - i, "\"search_ms\"");
            int tb = has(b->data + j, ej - j, "\"search_ms\"");
            if (ta != tb) return 0;
            if (!ta && (ei - i != ej - j || memcmp(a->data + i, b->data + j, ei - i) != 0)) return 0;
        }
        i = ei + 1;
        j = ej + 1;
    }
    return i >= a->len && j >= b->len;
}

static void columns_k2_same_as_csv(void) {
    columns c;
    privshare_buffer out = {NULL, 0}, report = {NULL, 0}, csv_out = {NULL, 0}, csv_report = {NULL, 0};
    zip_disease(&c);
    CHECK_STATUS(anonymize_columns(&c, 0, K2, &out, &report, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&out, "zip,disease\n4767*,flu\n4767*,cold\n4760*,flu\n4760*,cold\n"));
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', K2, &csv_out, &csv_report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(buffers_equal(&out, &csv_out));
    CHECK(buffer_contains(&report, "\"suppressed\": 0") && buffer_contains(&report, "\"search_ms\""));
    CHECK(same_report_but_time(&report, &csv_report));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
    privshare_buffer_free(&csv_out);
    privshare_buffer_free(&csv_report);
    columns_free(&c);
}

/* A richer table: an identifying column dropped, text that needs CSV quoting in an insensitive
 * column, rule-based hierarchies, Mondrian and the optimal search, ';' as delimiter. */
static void columns_rich_same_as_csv(void) {
    static const char *const names_[] = {"Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal"};
    static const char *const ages[] = {"23", "27", "31", "36", "38", "44", "47", "49"};
    static const char *const notes[] = {"a;b", "say \"hi\"", "two\nlines", "北京", "", "x", "y", "z"};
    static const char *const sick[] = {"flu", "cold", "flu", "gastritis", "cold", "flu", "cancer", "flu"};
    static const char CSV8[] =
        "name;age;note;disease\nAnn;23;\"a;b\";flu\nBob;27;\"say \"\"hi\"\"\";cold\nCid;31;\"two\nlines\";flu\n"
        "Dee;36;北京;gastritis\nEve;38;;cold\nFay;44;x;flu\nGus;47;y;cancer\nHal;49;z;flu\n";
    static const char *const configs[] = {
        "{\"attributes\":[{\"name\":\"name\",\"role\":\"identifying\"},{\"name\":\"age\",\"role\":\"quasi_identifying\","
        "\"hierarchy\":{\"type\":\"intervals\",\"origin\":0,\"widths\":[10,20]}},{\"name\":\"disease\",\"role\":"
        "\"sensitive\"}],\"models\":[{\"model\":\"k_anonymity\",\"k\":3}],\"drop_identifying\":true}",
        "{\"attributes\":[{\"name\":\"name\",\"role\":\"identifying\"},{\"name\":\"age\",\"role\":\"quasi_identifying\","
        "\"hierarchy\":{\"type\":\"intervals\",\"origin\":0,\"widths\":[10,20]}},{\"name\":\"disease\",\"role\":"
        "\"sensitive\"}],\"models\":[{\"model\":\"k_anonymity\",\"k\":2}],\"drop_identifying\":true,"
        "\"method\":\"mondrian\"}",
    };
    size_t k;
    columns c;
    memset(&c, 0, sizeof c);
    columns_add(&c, "name", names_, 8);
    columns_add(&c, "age", ages, 8);
    columns_add(&c, "note", notes, 8);
    columns_add(&c, "disease", sick, 8);
    for (k = 0; k < 2; k++) {
        privshare_buffer out = {NULL, 0}, report = {NULL, 0}, csv_out = {NULL, 0}, csv_report = {NULL, 0};
        CHECK_STATUS(anonymize_columns(&c, ';', configs[k], &out, &report, NULL), PRIVSHARE_STATUS_OK);
        CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV8, strlen(CSV8), ';', configs[k], &csv_out,
                                             &csv_report, NULL),
                     PRIVSHARE_STATUS_OK);
        CHECK(buffers_equal(&out, &csv_out));
        CHECK(same_report_but_time(&report, &csv_report));
        CHECK(!buffer_contains(&out, "Ann") && buffer_contains(&out, "\"say \"\"hi\"\"\"") &&
              buffer_contains(&out, "北京"));
        CHECK(out.len > 0 && memcmp(out.data, "age;note;disease\n", 17) == 0);
        privshare_buffer_free(&out);
        privshare_buffer_free(&report);
        privshare_buffer_free(&csv_out);
        privshare_buffer_free(&csv_report);
    }
    columns_free(&c);
}

static void columns_infeasible_is_600(void) {
    columns c;
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    privshare_error *err = NULL;
    zip_disease(&c);
    CHECK_STATUS(anonymize_columns(&c, ',', K3, &out, &report, &err), PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE);
    CHECK(privshare_error_code(err) == 600);
    CHECK(strstr(privshare_error_message(err), "suppresses 4 records") != NULL);
    CHECK(out.data == NULL && report.data == NULL);
    check_best_possible(err);
    privshare_error_free(err);
    columns_free(&c);
}

/* Runs the call expecting `status`; checks the error names `column` (NULL: names none), the `row`
 * (-1: none) and that the message contains `words` (NULL: any). Outputs must stay untouched. */
static void expect(const columns *c, uint8_t delimiter, const char *config, privshare_status status,
                   const char *column, long row, const char *words) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    privshare_error *err = NULL;
    uint64_t r = 0;
    bool has_row;
    CHECK_STATUS(anonymize_columns(c, delimiter, config, &out, &report, &err), status);
    CHECK(err != NULL && privshare_error_code(err) == status);
    if (err == NULL) return;
    if (column == NULL)
        CHECK(privshare_error_column(err) == NULL);
    else
        CHECK(privshare_error_column(err) != NULL && strcmp(privshare_error_column(err), column) == 0);
    has_row = privshare_error_row(err, &r);
    CHECK(row < 0 ? !has_row : (has_row && r == (uint64_t)row));
    if (words != NULL && strstr(privshare_error_message(err), words) == NULL) {
        fprintf(stderr, "  message: %s\n", privshare_error_message(err));
        harness_fail(__FILE__, __LINE__, "the message names the problem");
    }
    CHECK(out.data == NULL && report.data == NULL);
    privshare_error_free(err);
}

static void columns_bad_input(void) {
    columns c;
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    size_t bad_offsets[5] = {0, 3, 2, 5, 9};
    size_t late_start[5] = {1, 5, 10, 13, 18};
    size_t counts[2];
    zip_disease(&c);

    /* NULL arrays, elements and outputs. */
    CHECK_FAILS(privshare_anonymize_columns(NULL, 2, c.data, c.offsets, c.counts, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, NULL, c.offsets, c.counts, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, NULL, c.counts, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, c.offsets, NULL, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, c.offsets, c.counts, 0, NULL, &out, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, c.offsets, c.counts, 0, K2, NULL, &report, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, c.offsets, c.counts, 0, K2, &out, NULL, &err),
                PRIVSHARE_STATUS_NULL_ARGUMENT);
    c.names[1] = NULL;
    expect(&c, 0, K2, PRIVSHARE_STATUS_NULL_ARGUMENT, NULL, -1, "names[1]");
    c.names[1] = "disease";
    c.offsets[1] = NULL;
    expect(&c, 0, K2, PRIVSHARE_STATUS_NULL_ARGUMENT, NULL, -1, "offsets[1]");
    c.offsets[1] = c.own_offsets[1];
    c.data[0] = NULL; /* 20 bytes of zip codes behind a NULL pointer */
    expect(&c, 0, K2, PRIVSHARE_STATUS_NULL_ARGUMENT, NULL, -1, "data[0]");
    c.data[0] = c.own_data[0];

    /* No columns at all (NULL arrays are fine then): the configured column is missing. */
    CHECK_FAILS(privshare_anonymize_columns(NULL, 0, NULL, NULL, NULL, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_INVALID_ARGUMENT);

    /* Column count mismatch: a column shorter than the first, then longer. */
    counts[0] = 4;
    counts[1] = 3;
    CHECK_FAILS(privshare_anonymize_columns(c.names, 2, c.data, c.offsets, counts, 0, K2, &out, &report, &err),
                PRIVSHARE_STATUS_INVALID_INPUT);
    c.counts[1] = 3; /* the first three values of `disease`: its offsets stay consistent */
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_INPUT, "disease", -1, "3 values, the first column 4");
    c.counts[1] = 4;
    c.counts[0] = 3;
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_INPUT, "disease", -1, "4 values, the first column 3");
    c.counts[0] = 4;

    /* Offsets that decrease, or do not start at 0. */
    c.offsets[1] = bad_offsets;
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_ARGUMENT, "disease", 1, "must not decrease");
    c.offsets[0] = late_start;
    c.offsets[1] = c.own_offsets[1];
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_ARGUMENT, "zip", -1, "start at 0");
    c.offsets[0] = c.own_offsets[0];

    /* A value that is not UTF-8: row 2 of `disease`, from its second byte. */
    c.own_data[1][c.own_offsets[1][2] + 1] = 0xff;
    expect(&c, 0, K2, PRIVSHARE_STATUS_NOT_UTF8, "disease", 2, "not UTF-8");
    {
        privshare_error *err = NULL;
        uint64_t offset = 0;
        CHECK_STATUS(anonymize_columns(&c, 0, K2, &out, &report, &err), PRIVSHARE_STATUS_NOT_UTF8);
        CHECK(privshare_error_offset(err, &offset) && offset == 1);
        CHECK(strstr(privshare_error_description(err), "\xff") == NULL);
        privshare_error_free(err);
    }
    c.own_data[1][c.own_offsets[1][2] + 1] = 'l';

    /* Names: not UTF-8, empty, repeated. */
    c.names[1] = "dis\xff";
    expect(&c, 0, K2, PRIVSHARE_STATUS_NOT_UTF8, NULL, -1, "names[1]");
    c.names[1] = "";
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_INPUT, NULL, -1, "empty");
    c.names[1] = "zip";
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_INPUT, "zip", -1, "repeated");
    c.names[1] = "disease";

    /* Bad configuration and delimiter, and a value missing from the hierarchy (row and column). */
    expect(&c, 0, "{", PRIVSHARE_STATUS_INVALID_ARGUMENT, NULL, -1, "invalid anonymization spec");
    expect(&c, '"', K2, PRIVSHARE_STATUS_INVALID_ARGUMENT, NULL, -1, "delimiter");
    expect(&c, '\n', K2, PRIVSHARE_STATUS_INVALID_ARGUMENT, NULL, -1, "delimiter");
    c.own_data[0][c.own_offsets[0][3]] = '5'; /* row 3: 47605 -> 57605, not in the hierarchy */
    expect(&c, 0, K2, PRIVSHARE_STATUS_INVALID_INPUT, "zip", 3, "missing from the hierarchy");
    c.own_data[0][c.own_offsets[0][3]] = '4';

    /* Repaired, the same columns work again. */
    CHECK_STATUS(anonymize_columns(&c, 0, K2, &out, &report, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_contains(&out, "4760*,cold"));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
    columns_free(&c);
}

/* A file read twice (privshare_anonymize_csv_file): the output file holds what the in-memory call
 * returns; errors leave no output file. */
static void a_file_in_two_passes(void) {
    char input[256], output[256], content[256];
    const char *dir = getenv("TMPDIR");
    FILE *f;
    size_t n;
    privshare_buffer report = {NULL, 0};
    snprintf(input, sizeof input, "%s/privshare-c-anon-%ld-in.csv", dir ? dir : "/tmp", (long)getpid());
    snprintf(output, sizeof output, "%s/privshare-c-anon-%ld-out.csv", dir ? dir : "/tmp", (long)getpid());
    unlink(output);
    f = fopen(input, "wb");
    CHECK(f != NULL && fwrite(CSV, 1, strlen(CSV), f) == strlen(CSV));
    fclose(f);
    CHECK_STATUS(privshare_anonymize_csv_file(input, output, ',', K2, &report, NULL), PRIVSHARE_STATUS_OK);
    CHECK(buffer_contains(&report, "\"suppressed\": 0"));
    privshare_buffer_free(&report);
    f = fopen(output, "rb");
    CHECK(f != NULL);
    n = f ? fread(content, 1, sizeof content - 1, f) : 0;
    content[n] = '\0';
    if (f) fclose(f);
    CHECK(strcmp(content, "zip,disease\n4767*,flu\n4767*,cold\n4760*,flu\n4760*,cold\n") == 0);
    unlink(output);
    {
        privshare_error *err = NULL;
        CHECK_STATUS(privshare_anonymize_csv_file(input, output, ',', K3, &report, &err),
                     PRIVSHARE_STATUS_ANONYMIZATION_INFEASIBLE);
        check_best_possible(err); /* the best report possible, as in memory */
        privshare_error_free(err);
    }
    CHECK_FAILS(privshare_anonymize_csv_file(input, input, ',', K2, &report, &err), PRIVSHARE_STATUS_INVALID_ARGUMENT);
    CHECK_FAILS(privshare_anonymize_csv_file("/nonexistent/in.csv", output, ',', K2, &report, &err), PRIVSHARE_STATUS_IO);
    CHECK_FAILS(privshare_anonymize_csv_file(input, NULL, ',', K2, &report, &err), PRIVSHARE_STATUS_NULL_ARGUMENT);
    CHECK(report.data == NULL && access(output, F_OK) != 0);
    unlink(input);
}

void run_anon_tests(void) {
    RUN(k2_generalizes_one_level);
    RUN(a_file_in_two_passes);
    RUN(infeasible_is_600_and_says_so);
    RUN(infeasible_details_are_the_best_report);
    RUN(anonymize_errors);
    RUN(columns_k2_same_as_csv);
    RUN(columns_rich_same_as_csv);
    RUN(columns_infeasible_is_600);
    RUN(columns_bad_input);
}
