package org.privshare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository's test vectors through the Java facade. bindings/c/tests/vectors_to_tsv.py flattens
 * the JSON files into tab-separated lines (no JSON parser needed); run-tests.sh passes the file as the
 * system property {@code privshare.vectors}.
 */
final class VectorTest {
    private VectorTest() {}

    static List<String[]> lines() throws IOException {
        String path = System.getProperty("privshare.vectors");
        if (path == null) {
            throw new AssertionError("-Dprivshare.vectors must name the flattened vector file");
        }
        return Files.readAllLines(Paths.get(path), StandardCharsets.UTF_8).stream()
                .map(l -> l.split("\t", -1))
                .collect(java.util.stream.Collectors.toList());
    }

    static byte[] unhex(String hex) {
        if (hex.equals("-")) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static void check(boolean cond, String[] f, String what) {
        if (!cond) {
            throw new AssertionError(what + ": " + String.join(" | ", f));
        }
    }

    /** Runs every vector; returns the number of cases checked. */
    static int run() throws IOException {
        Map<String, Keyset> keysets = new HashMap<>();
        int cases = 0;
        try {
            List<String[]> all = lines();
            for (String[] f : all) {
                if (f[0].equals("keyset")) {
                    keysets.put(f[1], Keyset.loadInsecurePlaintextJson(f[2].getBytes(StandardCharsets.UTF_8)));
                }
            }
            for (String[] f : all) {
                switch (f[0]) {
                    case "stored": {
                        byte[] json = Files.readAllBytes(Paths.get(f[1]));
                        try (Keyset ks = f[2].equals("kek") ? Keyset.loadJson(json, unhex(f[3]))
                                : Keyset.loadJson(json, f[3])) {
                            check(Integer.toUnsignedLong(ks.primaryId()) == Long.parseLong(f[4]), f, "primary");
                            check(ks.versionCount() == Long.parseLong(f[5]), f, "version count");
                        }
                        break;
                    }
                    case "fle_valid": {
                        Keyset ks = keysets.get(f[1]);
                        boolean randomized = f[2].equals("randomized");
                        String pad = f[9];
                        try (FieldCipher bin = randomized ? FieldCipher.randomized(ks, f[3], f[4], Encoding.BINARY, pad)
                                        : FieldCipher.deterministic(ks, f[3], f[4], Encoding.BINARY, pad);
                                FieldCipher text = randomized ? FieldCipher.randomized(ks, f[3], f[4], Encoding.TEXT, pad)
                                        : FieldCipher.deterministic(ks, f[3], f[4], Encoding.TEXT, pad)) {
                            byte[] rec = unhex(f[5]);
                            byte[] pt = unhex(f[8]);
                            check(Arrays.equals(bin.decrypt(rec, unhex(f[6])), pt), f, "binary decrypts");
                            check(Arrays.equals(text.decrypt(rec, f[7].getBytes(StandardCharsets.UTF_8)), pt), f,
                                    "text decrypts");
                            // Deterministic encryption with the vector's padding reproduces it exactly.
                            if (!randomized) {
                                check(Arrays.equals(bin.encrypt(pt), unhex(f[6])), f, "deterministic is exact");
                                check(Arrays.equals(text.encrypt(pt), f[7].getBytes(StandardCharsets.UTF_8)), f,
                                        "deterministic text form is exact");
                            }
                        }
                        break;
                    }
                    case "fle_invalid": {
                        Keyset ks = keysets.get(f[1]);
                        boolean isText = !f[7].equals("-");
                        Encoding enc = isText ? Encoding.TEXT : Encoding.BINARY;
                        try (FieldCipher c = f[2].equals("randomized") ? FieldCipher.randomized(ks, f[3], f[4], enc)
                                : FieldCipher.deterministic(ks, f[3], f[4], enc)) {
                            byte[] input = isText ? f[7].getBytes(StandardCharsets.UTF_8) : unhex(f[6]);
                            try {
                                c.decrypt(unhex(f[5]), input);
                                check(false, f, "must fail");
                            } catch (PrivshareException e) {
                                check(e.getCode() == Integer.parseInt(f[8]), f, "code " + e.getCode());
                                if (!f[9].equals("-")) {
                                    check(e.getOffset().orElse(-1) == Long.parseLong(f[9]), f, "offset");
                                }
                            }
                        }
                        break;
                    }
                    case "token_valid": {
                        int keyId = (int) Long.parseLong(f[2]);
                        try (FieldCipher raw = FieldCipher.token(keysets.get(f[1]), keyId, f[3], Encoding.BINARY);
                                FieldCipher text = FieldCipher.token(keysets.get(f[1]), keyId, f[3], Encoding.TEXT)) {
                            check(Arrays.equals(raw.encrypt(unhex(f[4])), unhex(f[5])), f, "raw token");
                            check(new String(text.encrypt(unhex(f[4])), StandardCharsets.UTF_8).equals(f[6]), f,
                                    "text token");
                        }
                        break;
                    }
                    case "fpe": {
                        Keyset ks = keysets.get(f[1]);
                        FieldCipher c;
                        switch (f[2]) {
                            case "ff1":
                                c = FieldCipher.ff1(ks, ks.primaryId(), f[3], f[4], f[5]);
                                break;
                            case "resident_id": {
                                String[] r = f[5].split(" ");
                                c = FieldCipher.residentId(ks, ks.primaryId(), f[3], f[4],
                                        LocalDate.of(Integer.parseInt(r[0]), Integer.parseInt(r[1]), Integer.parseInt(r[2])),
                                        LocalDate.of(Integer.parseInt(r[3]), Integer.parseInt(r[4]), Integer.parseInt(r[5])));
                                break;
                            }
                            case "mobile":
                                c = FieldCipher.mobile(ks, ks.primaryId(), f[3], f[4]);
                                break;
                            default:
                                c = FieldCipher.bankCard(ks, ks.primaryId(), f[3], f[4]);
                                break;
                        }
                        try (FieldCipher cipher = c) {
                            check(cipher.encryptString(f[6]).equals(f[7]), f, "known answer");
                            check(cipher.decryptString(f[7]).equals(f[6]), f, "decrypts back");
                        }
                        break;
                    }
                    case "mask": {
                        try (Masker m = Masker.fromJson(f[1])) {
                            ColumnResult r = m.applyColumn(new String[] {f[2]});
                            check(r.values()[0].equals(f[3]), f, "masking known answer");
                            check(r.invalid() == (f[4].equals("1") ? 0 : 1), f, "parsed flag");
                            check(m.apply(f[2]).equals(f[3]), f, "single value");
                        }
                        break;
                    }
                    case "validate":
                        check(Validators.isValid(f[1], f[2]) == f[3].equals("1"), f, "validator");
                        break;
                    case "mask_keyed": {
                        try (Keyset ks = Keyset.loadInsecurePlaintextJson(f[1].getBytes(StandardCharsets.UTF_8));
                                Masker m = Masker.keyed(f[2], ks, ks.primaryId(), f[3], f[4])) {
                            check(m.apply(f[5]).equals(f[6]), f, "keyed hash known answer");
                        }
                        break;
                    }
                    default:
                        continue;
                }
                cases++;
            }
        } finally {
            keysets.values().forEach(Keyset::close);
        }
        return cases;
    }
}
