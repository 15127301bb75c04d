/* A tiny test harness for the privshare C ABI tests: no dependencies beyond libc. */
#ifndef PRIVSHARE_TEST_HARNESS_H
#define PRIVSHARE_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "privshare.h"

/* Failures of the current test function (set by the CHECK macros). */
extern int harness_current_failures;

void harness_fail(const char *file, int line, const char *what);

/* Checks a condition; on failure prints it and marks the current test failed. */
#define CHECK(cond)                                  \
    do {                                             \
        if (!(cond)) {                               \
            harness_fail(__FILE__, __LINE__, #cond); \
        }                                            \
    } while (0)

/* Checks that an expression yields the expected status, printing both when not. */
#define CHECK_STATUS(expr, expected)                                                         \
    do {                                                                                     \
        privshare_status got_ = (expr);                                                      \
        if (got_ != (privshare_status)(expected)) {                                          \
            char msg_[256];                                                                  \
            snprintf(msg_, sizeof msg_, "%s: status %u, expected %u", #expr, (unsigned)got_, \
                     (unsigned)(expected));                                                  \
            harness_fail(__FILE__, __LINE__, msg_);                                          \
        }                                                                                    \
    } while (0)

/* Runs `call` with a fresh error object and checks the status, that the error object carries the
 * same code, and frees it. `call` must use the variable `err` as its error out-parameter. */
#define CHECK_FAILS(call, expected)                                          \
    do {                                                                     \
        privshare_error *err = NULL;                                         \
        CHECK_STATUS(call, expected);                                        \
        CHECK(err != NULL);                                                  \
        CHECK(privshare_error_code(err) == (privshare_status)(expected));    \
        CHECK(strlen(privshare_error_message(err)) > 0);                     \
        /* Only infeasible anonymizations and policy errors carry details. */ \
        CHECK(privshare_error_details(err) == NULL);                         \
        privshare_error_free(err);                                           \
    } while (0)

/* Test groups, one per file. Each registers its tests with RUN. */
typedef void (*test_fn)(void);
void harness_run(const char *name, test_fn fn);
#define RUN(fn) harness_run(#fn, fn)

void run_version_error_tests(void);
void run_keyset_tests(void);
void run_cipher_tests(void);
void run_column_tests(void);
void run_thread_tests(void);
void run_vector_tests(void);
void run_mask_tests(void);
void run_anon_tests(void);
void run_audit_tests(void);
void run_envelope_tests(void);
void run_policy_tests(void);

/* Shared fixtures. */
privshare_keyset *fixture_keyset(uint32_t suite);
const privshare_cipher *fixture_randomized(const privshare_keyset *ks, const char *field, uint32_t encoding);
/* Packs `n` NUL-terminated strings into one buffer plus n+1 offsets (caller frees both). */
void pack_strings(const char *const *values, size_t n, uint8_t **data, size_t **offsets);
/* True when column value `i` equals the NUL-terminated string `s`. */
int column_value_is(const privshare_column *col, size_t i, const char *s);
/* The birth-date range the tests encrypt resident IDs in (1900-01-01 to 2099-12-31). */
const privshare_date_range *births(void);
/* True when the buffer holds exactly the NUL-terminated string `s`. */
int buffer_is(const privshare_buffer *buf, const char *s);
/* True when the buffer holds the NUL-terminated string `s` somewhere. */
int buffer_contains(const privshare_buffer *buf, const char *s);
/* True when two buffers hold the same bytes. */
int buffers_equal(const privshare_buffer *a, const privshare_buffer *b);

#endif
