/* Anonymization through the C ABI: k-anonymity over a tiny hierarchy, an infeasible configuration
 * (status 600), NULL arguments and bad JSON. */
#include <stdlib.h>

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

static int contains(const privshare_buffer *b, const char *s) {
    size_t n = strlen(s), i;
    for (i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, s, n) == 0) return 1;
    return 0;
}

static void k2_generalizes_one_level(void) {
    privshare_buffer out = {NULL, 0}, report = {NULL, 0};
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), ',', K2, &out, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(buffer_is(&out, "zip,disease\n4767*,flu\n4767*,cold\n4760*,flu\n4760*,cold\n"));
    CHECK(report.len > 0 && report.data[0] == '{');
    CHECK(contains(&report, "\"suppressed\": 0"));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
    /* Delimiter 0 means ','. */
    CHECK_STATUS(privshare_anonymize_csv((const uint8_t *)CSV, strlen(CSV), 0, K2, &out, &report, NULL),
                 PRIVSHARE_STATUS_OK);
    CHECK(contains(&out, "4767*,flu"));
    privshare_buffer_free(&out);
    privshare_buffer_free(&report);
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
    privshare_error_free(err);
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
    CHECK(out.data == NULL && report.data == NULL);
}

void run_anon_tests(void) {
    RUN(k2_generalizes_one_level);
    RUN(infeasible_is_600_and_says_so);
    RUN(anonymize_errors);
}
