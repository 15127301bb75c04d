/*
 * privshare from C: load (or, the first time, generate and save) a keyset, encrypt one column of a
 * CSV file in a single call, print the encrypted CSV, then decrypt the column and check it.
 *
 *   make && ./csv_column keyset.json people.csv [column]
 *
 * The keyset file is wrapped by a 32-byte key-encryption key (KEK) given as 64 hex characters in
 * PRIVSHARE_KEK_HEX. Without it a fixed demo KEK is used: never do that with real data.
 * The CSV reader is deliberately minimal (no quoted fields).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privshare.h"

#define MAX_ROWS 1024
#define MAX_LINE 4096

/* Prints the error (if any) and exits when `status` is not OK. */
static void check(privshare_status status, privshare_error *err, const char *what) {
    if (status == PRIVSHARE_STATUS_OK) return;
    fprintf(stderr, "%s failed: %s\n", what, err ? privshare_error_description(err) : "(no details)");
    privshare_error_free(err);
    exit(1);
}

static void read_kek(uint8_t kek[32]) {
    const char *hex = getenv("PRIVSHARE_KEK_HEX");
    int i;
    if (hex == NULL) {
        fprintf(stderr, "note: PRIVSHARE_KEK_HEX not set, using the demo KEK\n");
        for (i = 0; i < 32; i++) kek[i] = (uint8_t)i;
        return;
    }
    for (i = 0; i < 32; i++) {
        unsigned byte;
        if (strlen(hex) != 64 || sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            fprintf(stderr, "PRIVSHARE_KEK_HEX must be 64 hex characters\n");
            exit(1);
        }
        kek[i] = (uint8_t)byte;
    }
}

/* Loads the keyset at `path`, or generates one and saves it there. */
static privshare_keyset *load_or_generate(const char *path, const uint8_t kek[32]) {
    privshare_keyset *ks = NULL;
    privshare_error *err = NULL;
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        static uint8_t json[1 << 16];
        size_t len = fread(json, 1, sizeof json, f);
        fclose(f);
        check(privshare_keyset_load_json_kek(json, len, kek, 32, NULL, &ks, &err), err, "loading the keyset");
    } else {
        privshare_buffer json = {NULL, 0};
        check(privshare_keyset_generate(PRIVSHARE_SUITE_AES, &ks, &err), err, "generating a keyset");
        check(privshare_keyset_save_json_kek(ks, kek, 32, &json, &err), err, "saving the keyset");
        f = fopen(path, "wb");
        if (f == NULL || fwrite(json.data, 1, json.len, f) != json.len || fclose(f) != 0) {
            fprintf(stderr, "cannot write %s\n", path);
            exit(1);
        }
        privshare_buffer_free(&json);
        fprintf(stderr, "note: generated a new keyset in %s\n", path);
    }
    return ks;
}

/* Value `i` of a column as (pointer, length). */
static const char *value(const privshare_column *col, size_t i, int *len) {
    *len = (int)(col->offsets[i + 1] - col->offsets[i]);
    return (const char *)col->data + col->offsets[i];
}

int main(int argc, char **argv) {
    static char lines[MAX_ROWS][MAX_LINE];
    static uint8_t cells[MAX_ROWS * MAX_LINE];
    static size_t offsets[MAX_ROWS + 1];
    const char *column = argc > 3 ? argv[3] : "id_number";
    size_t rows = 0, i;
    int target = -1, c, ok = 1;
    uint8_t kek[32];
    FILE *csv;
    privshare_keyset *ks;
    const privshare_cipher *cipher = NULL;
    privshare_error *err = NULL;
    privshare_column encrypted, decrypted;

    if (argc < 3) {
        fprintf(stderr, "usage: %s KEYSET.json FILE.csv [COLUMN]\n", argv[0]);
        return 2;
    }
    read_kek(kek);
    ks = load_or_generate(argv[1], kek);

    /* Read the CSV; find the column; pack its cells into one buffer plus offsets. */
    if ((csv = fopen(argv[2], "r")) == NULL) {
        fprintf(stderr, "cannot open %s\n", argv[2]);
        return 1;
    }
    while (rows < MAX_ROWS && fgets(lines[rows], MAX_LINE, csv) != NULL) {
        lines[rows][strcspn(lines[rows], "\r\n")] = '\0';
        rows++;
    }
    fclose(csv);
    if (rows < 2) return 0;
    {
        char header[MAX_LINE], *field;
        strcpy(header, lines[0]);
        for (c = 0, field = strtok(header, ","); field != NULL; c++, field = strtok(NULL, ","))
            if (strcmp(field, column) == 0) target = c;
    }
    if (target < 0) {
        fprintf(stderr, "no column %s\n", column);
        return 1;
    }
    offsets[0] = 0;
    for (i = 1; i < rows; i++) {
        const char *cell = lines[i];
        size_t len;
        for (c = 0; c < target && cell != NULL; c++) cell = strchr(cell, ',') ? strchr(cell, ',') + 1 : NULL;
        len = cell ? strcspn(cell, ",") : 0;
        memcpy(cells + offsets[i - 1], cell ? cell : "", len);
        offsets[i] = offsets[i - 1] + len;
    }

    /* One cipher per column; one call per column. */
    check(privshare_cipher_new_randomized(ks, "people", column, PRIVSHARE_ENCODING_TEXT, &cipher, &err), err,
          "making the cipher");
    check(privshare_cipher_encrypt_column(cipher, cells, offsets, rows - 1, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT, &encrypted, &err), err,
          "encrypting");

    /* The encrypted CSV: the target column replaced by its ciphertexts. */
    printf("%s\n", lines[0]);
    for (i = 1; i < rows; i++) {
        const char *line = lines[i];
        for (c = 0;; c++) {
            size_t cell_len = strcspn(line, ",");
            if (c > 0) putchar(',');
            if (c == target) {
                int len;
                const char *ct = value(&encrypted, i - 1, &len);
                printf("%.*s", len, ct);
            } else {
                printf("%.*s", (int)cell_len, line);
            }
            if (line[cell_len] != ',') break;
            line += cell_len + 1;
        }
        putchar('\n');
    }

    /* Decrypt the column again and compare with the original cells. */
    check(privshare_cipher_decrypt_column(cipher, encrypted.data, encrypted.offsets, encrypted.count, NULL, NULL, PRIVSHARE_ON_INVALID_DEFAULT,
                                          &decrypted, &err),
          err, "decrypting");
    for (i = 0; i + 1 < rows; i++) {
        int len;
        const char *pt = value(&decrypted, i, &len);
        ok &= (size_t)len == offsets[i + 1] - offsets[i] && (len == 0 || memcmp(pt, cells + offsets[i], (size_t)len) == 0);
    }
    printf(ok ? "round trip ok: %zu values\n" : "round trip FAILED\n", decrypted.count);

    privshare_column_free(&encrypted);
    privshare_column_free(&decrypted);
    privshare_cipher_free(cipher);
    privshare_keyset_free(ks);
    return ok ? 0 : 1;
}
