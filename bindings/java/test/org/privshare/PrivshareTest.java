package org.privshare;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The Java facade's tests: a plain program printing "N passed, N failed" (no test framework needed). */
public final class PrivshareTest {
    private static int passed;
    private static int failed;

    interface Body {
        void run() throws Exception;
    }

    private static void test(String name, Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok   " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("FAIL " + name + ": " + t);
            t.printStackTrace(System.out);
        }
    }

    private static void check(boolean cond, String what) {
        if (!cond) {
            throw new AssertionError(what);
        }
    }

    /** Runs {@code body}, which must throw a PrivshareException with {@code code}; returns it. */
    private static PrivshareException fails(int code, Body body) throws Exception {
        try {
            body.run();
        } catch (PrivshareException e) {
            check(e.getCode() == code, "expected code " + code + ", got " + e.getCode() + ": " + e.getMessage());
            check(!e.getErrorMessage().isEmpty(), "empty message");
            boolean detailed = code == Status.ANONYMIZATION_INFEASIBLE || code == Status.POLICY;
            check(detailed || e.getDetails() == null, "details only when infeasible or a policy error");
            return e;
        }
        throw new AssertionError("expected PrivshareException " + code);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] KEK = new byte[32];
    private static final byte[] OTHER_KEK = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            KEK[i] = (byte) i;
            OTHER_KEK[i] = (byte) (100 + i);
        }
    }

    public static void main(String[] args) {
        test("version matches Cargo.toml", () -> {
            String expected = System.getProperty("privshare.expectedVersion");
            check(expected != null && Privshare.version().equals(expected), Privshare.version() + " vs " + expected);
        });

        test("keyset life cycle", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES)) {
                int first = ks.primaryId();
                check(first != 0 && ks.primarySuite() == Suite.AES && ks.versionCount() == 1, "fresh keyset");
                int second = ks.rotate(Suite.SM);
                check(second != first && ks.primaryId() == second && ks.primarySuite() == Suite.SM, "rotated");
                check(ks.versionCount() == 2, "two versions");
                try (FieldCipher before = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                    ks.setPrimary(first);
                    String ct;
                    try (FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                        ct = c.encryptString("x");
                    }
                    ks.setPrimary(second);
                    fails(Status.KEYSET_STATE, () -> ks.disable(second));
                    ks.disable(first);
                    try (FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                        fails(Status.KEY_DISABLED, () -> c.decryptString(ct));
                    }
                    ks.enable(first);
                    ks.destroy(first);
                    try (FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                        fails(Status.KEY_DESTROYED, () -> c.decryptString(ct));
                    }
                    fails(Status.KEY_DESTROYED, () -> ks.enable(first));
                    check(before.keyId() == second, "cipher keeps its version");
                }
            }
        });

        test("padding: ciphertext lengths show only the bucket", () -> {
            try (Keyset ks = Keyset.generate(Suite.SM);
                    FieldCipher block = FieldCipher.randomized(ks, "ds", "note", Encoding.BINARY, "block:32");
                    FieldCipher plain = FieldCipher.randomized(ks, "ds", "note", Encoding.BINARY);
                    FieldCipher det = FieldCipher.deterministic(ks, "ds", "note", Encoding.BINARY, "padme")) {
                byte[] empty = block.encrypt(null, new byte[0]);
                byte[] v31 = block.encrypt(null, new byte[31]);
                byte[] v32 = block.encrypt(null, new byte[32]);
                check(empty.length == v31.length && v32.length == v31.length + 32, "one bucket per 32 bytes");
                check(plain.encrypt(null, new byte[31]).length < v31.length, "unpadded is shorter");
                check(plain.decrypt(null, v31).length == 31, "an unpadded cipher opens a padded ciphertext");
                check(det.encrypt(null, new byte[1000]).length - det.encrypt(null, new byte[1]).length == 1024 - 2,
                        "Padme rounds 1001 bytes to 1024");
                fails(Status.INVALID_ARGUMENT,
                        () -> FieldCipher.randomized(ks, "ds", "note", Encoding.TEXT, "block:1").close());
                fails(Status.NULL_ARGUMENT,
                        () -> FieldCipher.deterministic(ks, "ds", "note", Encoding.TEXT, null).close());
            }
        });

        test("save and load with a KEK and a passphrase", () -> {
            try (Keyset ks = Keyset.generate(Suite.SM);
                    FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                String ct = c.encryptString("hello");
                byte[] json = ks.saveJson(KEK);
                try (Keyset loaded = Keyset.loadJson(json, KEK);
                        FieldCipher d = FieldCipher.randomized(loaded, "ds", "f", Encoding.TEXT)) {
                    check(loaded.primaryId() == ks.primaryId(), "same primary");
                    check(d.decryptString(ct).equals("hello"), "decrypts after loading");
                }
                fails(Status.KEY_UNWRAP_FAILED, () -> Keyset.loadJson(json, OTHER_KEK).close());
                fails(Status.MALFORMED_KEYSET, () -> Keyset.loadJson(b("{\"no\":1}"), KEK).close());
                fails(Status.MALFORMED_KEYSET, () -> Keyset.loadJson(b("garbage"), KEK).close());
                byte[] pjson = ks.saveJson("passphrase");
                try (Keyset loaded = Keyset.loadJson(pjson, "passphrase")) {
                    check(loaded.primaryId() == ks.primaryId(), "same primary (passphrase)");
                }
                PrivshareException wrong = fails(Status.KEY_UNWRAP_FAILED, () -> Keyset.loadJson(pjson, "wrong").close());
                check(wrong.getMessage().contains("wrong passphrase or modified keyset"), "says what to check");
                // Costs above the caller's caps: refused before Argon2id runs (a wrong passphrase is not tried).
                fails(Status.MALFORMED_KEYSET,
                        () -> Keyset.loadJson(pjson, "wrong", new LoadOptions().argon2Caps(1024, 0, 0)).close());
                fails(Status.INVALID_ARGUMENT,
                        () -> Keyset.loadJson(pjson, "wrong", new LoadOptions().argon2Caps(0, 0, 17)).close());
            }
        });

        test("generations: an older stored keyset is refused when the latest is demanded", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES)) {
                check(ks.generation() == 1, "a new keyset is generation 1");
                byte[] old = ks.saveJson(KEK);
                int first = ks.primaryId();
                ks.rotate(Suite.AES);
                ks.destroy(first);
                check(ks.generation() == 3, "one per change");
                byte[] latest = ks.saveJson(KEK);
                LoadOptions demand = new LoadOptions().minGeneration(ks.generation());
                fails(Status.KEYSET_ROLLED_BACK, () -> Keyset.loadJson(old, KEK, demand).close());
                try (Keyset loaded = Keyset.loadJson(latest, KEK, demand);
                        Keyset stale = Keyset.loadJson(old, KEK)) {
                    check(loaded.generation() == 3 && stale.generation() == 1, "generations survive storage");
                }
            }
        });

        test("randomized encryption binds context and detects tampering", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES);
                    FieldCipher c = FieldCipher.randomized(ks, "ds", "name", Encoding.BINARY);
                    FieldCipher other = FieldCipher.randomized(ks, "ds", "other", Encoding.BINARY);
                    FieldCipher text = FieldCipher.randomized(ks, "ds", "name", Encoding.TEXT)) {
                check(c.scheme() == Scheme.RANDOMIZED && c.keyId() == ks.primaryId(), "scheme and key id");
                byte[] ct = c.encrypt(b("r1"), b("Zhang San"));
                check(Arrays.equals(c.decrypt(b("r1"), ct), b("Zhang San")), "round trip");
                check(!Arrays.equals(ct, c.encrypt(b("r1"), b("Zhang San"))), "fresh nonces");
                fails(Status.AUTHENTICATION_FAILED, () -> c.decrypt(b("r2"), ct));
                fails(Status.AUTHENTICATION_FAILED, () -> other.decrypt(b("r1"), ct));
                byte[] bad = ct.clone();
                bad[bad.length - 1] ^= 1;
                fails(Status.AUTHENTICATION_FAILED, () -> c.decrypt(b("r1"), bad));
                fails(Status.MALFORMED_CIPHERTEXT, () -> text.decryptString("not a ciphertext"));
                check(text.encryptString("x").startsWith("ps1:"), "text form");
                check(text.decryptString(text.encryptString("")).isEmpty(), "empty value");
            }
        });

        test("deterministic, FF1, structured and token schemes", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES);
                    FieldCipher det = FieldCipher.deterministic(ks, "ds", "email", Encoding.TEXT);
                    FieldCipher ff1 = FieldCipher.ff1(ks, ks.primaryId(), "ds", "acct", "0123456789");
                    FieldCipher rid = FieldCipher.residentId(ks, ks.primaryId(), "ds", "id", LocalDate.of(1940, 1, 1),
                            LocalDate.of(2000, 12, 31));
                    FieldCipher mob = FieldCipher.mobile(ks, ks.primaryId(), "ds", "phone");
                    FieldCipher card = FieldCipher.bankCard(ks, ks.primaryId(), "ds", "card");
                    FieldCipher tok = FieldCipher.token(ks, "link", Encoding.TEXT);
                    FieldCipher raw = FieldCipher.token(ks, "link", Encoding.BINARY)) {
                String d = det.encryptString("a@example.org");
                check(d.equals(det.encryptString("a@example.org")), "deterministic");
                check(det.decryptString(d).equals("a@example.org"), "deterministic round trip");
                String f = ff1.encryptString("4000123456789");
                check(f.length() == 13 && f.chars().allMatch(Character::isDigit), "ff1 format");
                check(ff1.decryptString(f).equals("4000123456789"), "ff1 round trip");
                PrivshareException e = fails(Status.OUTSIDE_ALPHABET, () -> ff1.encryptString("12345x7890"));
                check(e.getOffset().orElse(-1) == 5, "offset of the bad character");
                fails(Status.DOMAIN_TOO_SMALL, () -> ff1.encryptString("123"));
                String r = rid.encryptString("11010519491231002X");
                check(r.length() == 18 && r.startsWith("110105"), "resident id format");
                check(rid.decryptString(r).equals("11010519491231002X"), "resident id round trip");
                fails(Status.INVALID_IDENTIFIER, () -> rid.encryptString("110105194912310021"));
                try (FieldCipher wide = FieldCipher.residentId(ks, ks.primaryId(), "ds", "id", LocalDate.of(1900, 1, 1),
                        LocalDate.of(2025, 12, 31))) {
                    String w = wide.encryptString("11010519491231002X");
                    check(w.length() == 18 && wide.decryptString(w).equals("11010519491231002X"), "wide range");
                    check(Integer.parseInt(w.substring(6, 10)) <= 2025, "no birth date past the range's end");
                    fails(Status.INVALID_IDENTIFIER, () -> wide.encryptString("440524188001010014")); // born 1880
                }
                String m = mob.encryptString("13800138000");
                check(m.length() == 11 && m.startsWith("138") && mob.decryptString(m).equals("13800138000"), "mobile");
                String c = card.encryptString("4111111111111111");
                check(c.startsWith("411111") && card.decryptString(c).equals("4111111111111111"), "bank card");
                check(tok.encryptString("x").equals(tok.encryptString("x")), "tokens are stable");
                check(raw.encrypt(b("x")).length == 32, "raw tokens are 32 bytes");
                fails(Status.INVALID_ARGUMENT, () -> tok.decryptString("x"));
                fails(Status.INVALID_ARGUMENT, () -> FieldCipher.ff1(ks, ks.primaryId(), "ds", "x", "aa").close());
                fails(Status.UNKNOWN_KEY, () -> FieldCipher.mobile(ks, ks.primaryId() ^ 1, "ds", "x").close());
                fails(Status.UNKNOWN_KEY, () -> FieldCipher.ff1(ks, 0, "ds", "x", "0123456789").close());
            }
        });

        test("columns survive one bad value: null or kept, the row listed", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES);
                    FieldCipher mob = FieldCipher.mobile(ks, ks.primaryId(), "ds", "phone");
                    Masker id = Masker.fromJson("{\"rule\":\"resident_id\"}")) {
                String[] phones = {"13800138000", "19912345678", "1380013800", "15012345678", "18612345678"};
                PrivshareException e = fails(Status.INVALID_IDENTIFIER, () -> mob.encryptColumn(phones));
                check(e.getRow().orElse(-1) == 2, "default: the row is named");
                ColumnResult nulls = mob.encryptColumn(phones, OnInvalid.NULL);
                String[] out = nulls.values();
                check(out.length == 5 && out[2] == null && out[3].length() == 11, "null in place of the bad value");
                check(Arrays.equals(nulls.invalidRows(), new long[] {2}), "invalid rows");
                ColumnResult kept = mob.encryptColumn(phones, OnInvalid.KEEP_MARKED);
                check(kept.values()[2].equals("1380013800") && kept.invalid() == 1, "kept as it was");
                String[] back = mob.decryptColumn(new String[] {out[0], out[4]});
                check(back[0].equals(phones[0]) && back[1].equals(phones[4]), "the others decrypt");
                ColumnResult masked = id.applyColumn(new String[] {"11010519491231002X", "oops"}, null, OnInvalid.NULL);
                check(masked.values()[1] == null && masked.invalid() == 1, "masking: null");
                ColumnResult lenient = id.applyColumn(new String[] {"11010519491231002X", "oops"});
                check(lenient.values()[1].equals("****") && lenient.invalidRows()[0] == 1, "masking: default");
                fails(Status.INVALID_INPUT, () -> id.applyColumn(new String[] {"oops"}, null, OnInvalid.ERROR));
                check(!mob.bindsRecord(), "only randomized binds records");
            }
        });

        test("Status constants are the core's error table", () -> {
            NativeLib lib = NativeLib.INSTANCE;
            java.util.Map<Integer, String> core = new java.util.HashMap<>();
            long n = lib.privshare_error_kind_count().longValue();
            for (long i = 0; i < n; i++) {
                int code = lib.privshare_error_kind_code(new SizeT(i));
                core.put(code, lib.privshare_error_kind_name(code).getString(0, "UTF-8"));
            }
            java.util.Map<Integer, String> ours = new java.util.HashMap<>();
            for (java.lang.reflect.Field f : Status.class.getFields()) {
                int code;
                try {
                    code = f.getInt(null);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
                if (code > 0 && code < 1000) {
                    ours.put(code, f.getName().toLowerCase(java.util.Locale.ROOT));
                }
            }
            check(n > 20 && ours.equals(core), "Status " + ours + " vs core " + core);
        });

        test("format-preserving ciphers decrypt with the recorded key version after a rotation", () -> {
            try (Keyset ks = Keyset.generate(Suite.SM)) {
                int recorded = ks.primaryId();
                String ct;
                try (FieldCipher c = FieldCipher.ff1(ks, recorded, "ds", "acct", "0123456789")) {
                    ct = c.encryptString("1234567890");
                }
                ks.rotate(Suite.SM);
                try (FieldCipher old = FieldCipher.ff1(ks, recorded, "ds", "acct", "0123456789");
                        FieldCipher now = FieldCipher.ff1(ks, ks.primaryId(), "ds", "acct", "0123456789")) {
                    check(old.decryptString(ct).equals("1234567890"), "recorded version decrypts");
                    String wrong = now.decryptString(ct);
                    check(wrong.length() == 10 && !wrong.equals("1234567890"), "another version: wrong but valid");
                }
            }
        });

        test("columns: one call, rows named in errors", () -> {
            try (Keyset ks = Keyset.generate(Suite.SM);
                    FieldCipher c = FieldCipher.randomized(ks, "ds", "name", Encoding.TEXT);
                    FieldCipher mob = FieldCipher.mobile(ks, ks.primaryId(), "ds", "phone")) {
                String[] names = {"Zhang San", "", "Li Si", "\u4e2d\u6587"};
                String[] ct = c.encryptColumn(names);
                check(Arrays.equals(c.decryptColumn(ct), names), "round trip");
                byte[][] values = {b("a"), b("b"), b("c")};
                byte[][] recs = {b("r0"), b("r1"), b("r2")};
                byte[][] wrong = {b("r0"), b("r1"), b("rX")};
                byte[][] enc = c.encryptColumn(values, recs);
                check(Arrays.deepEquals(c.decryptColumn(enc, recs), values), "records round trip");
                PrivshareException e = fails(Status.AUTHENTICATION_FAILED, () -> c.decryptColumn(enc, wrong));
                check(e.getRow().orElse(-1) == 2, "failing row");
                e = fails(Status.INVALID_IDENTIFIER, () -> mob.encryptColumn(new String[] {"13800138000", "1"}));
                check(e.getRow().orElse(-1) == 1, "failing row (mobile)");
                check(c.encryptColumn(new String[0]).length == 0, "empty column");
            }
        });

        test("closed handles refuse use", () -> {
            Keyset ks = Keyset.generate(Suite.AES);
            FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT);
            ks.close();
            ks.close();
            check(c.decryptString(c.encryptString("still")).equals("still"), "cipher outlives keyset");
            c.close();
            try {
                c.encryptString("x");
                throw new AssertionError("expected IllegalStateException");
            } catch (IllegalStateException expected) {
                // closed
            }
        });

        test("one cipher from many threads", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES);
                    FieldCipher c = FieldCipher.randomized(ks, "ds", "f", Encoding.TEXT)) {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        final int id = t;
                        results.add(pool.submit(() -> {
                            for (int i = 0; i < 200; i++) {
                                String v = "thread " + id + " value " + i;
                                if (!c.decryptString(c.encryptString(v)).equals(v)) {
                                    return false;
                                }
                            }
                            String[] col = {"a" + id, "b", ""};
                            return Arrays.equals(c.decryptColumn(c.encryptColumn(col)), col);
                        }));
                    }
                    ks.rotate(Suite.SM); // concurrent with the workers: takes the keyset's write lock
                    for (Future<Boolean> f : results) {
                        check(f.get(), "worker result");
                    }
                } finally {
                    pool.shutdown();
                }
            }
        });

        test("the repository's test vectors", () -> {
            int cases = VectorTest.run();
            check(cases >= 200, "only " + cases + " vector cases");
        });

        test("insecure plaintext export round trip", () -> {
            try (Keyset ks = Keyset.generate(Suite.AES);
                    Keyset back = Keyset.loadInsecurePlaintextJson(ks.saveInsecurePlaintextJson())) {
                check(back.primaryId() == ks.primaryId(), "same primary");
            }
            fails(Status.MALFORMED_KEYSET, () -> Keyset.loadInsecurePlaintextJson(b("{}")).close());
        });

        test("masking known answers and columns", () -> {
            try (Masker mob = Masker.fromJson("{\"rule\":\"mobile\"}");
                    Masker id = Masker.fromJson("{\"rule\":\"resident_id\"}");
                    Masker name = Masker.fromJson("{\"rule\":\"name\"}");
                    Masker card = Masker.fromJson("{\"rule\":\"bank_card\"}")) {
                check(mob.apply("13812345678").equals("138****5678"), "mobile");
                check(id.apply("11010519491231002X").equals("110105********002X"), "resident id");
                check(name.apply("欧阳娜娜").equals("欧阳**"), "name");
                check(card.apply("6222021234567890128").equals("622202*********0128"), "bank card");
                ColumnResult r = id.applyColumn(new String[] {"11010519491231002X", "oops", ""});
                check(Arrays.equals(r.values(), new String[] {"110105********002X", "****", ""}), "column");
                check(r.invalid() == 1, "invalid count");
                check(mob.applyColumn(new String[0]).values().length == 0, "empty column");
            }
            try (Masker strict = Masker.fromJson("{\"rule\":\"mobile\"}", true, "phone")) {
                PrivshareException e = fails(Status.INVALID_INPUT,
                        () -> strict.applyColumn(new String[] {"13800138000", "123"}));
                check(e.getRow().orElse(-1) == 1, "strict row");
                check("phone".equals(e.getColumn().orElse(null)), "strict column");
            }
            fails(Status.INVALID_ARGUMENT, () -> Masker.fromJson("{\"rule\":").close());
            fails(Status.INVALID_ARGUMENT, () -> Masker.fromJson("{\"rule\":\"hash\"}").close());
        });

        test("keyed masking on both suites", () -> {
            try (Keyset aes = Keyset.generate(Suite.AES); Keyset sm = Keyset.generate(Suite.SM);
                    Masker a = Masker.keyed("{\"rule\":\"hash\",\"length\":16}", aes, aes.primaryId(), "ds", "phone");
                    Masker a2 = Masker.keyed("{\"rule\":\"hash\",\"length\":16}", aes, aes.primaryId(), "ds", "phone");
                    Masker s = Masker.keyed("{\"rule\":\"hash\",\"length\":16}", sm, sm.primaryId(), "ds", "phone");
                    Masker shift = Masker.keyed("{\"rule\":\"date_shift\"}", sm, sm.primaryId(), "ds", "visit")) {
                String h = a.apply("13800138000");
                check(h.length() == 16 && h.matches("[0-9a-f]+"), "hex hash");
                check(h.equals(a2.apply("13800138000")), "deterministic");
                check(!h.equals(s.apply("13800138000")), "suites differ");
                String d = shift.apply("2020-01-10", "alice");
                check(d.length() == 10 && !d.equals("2020-01-10"), "date shifted");
                ColumnResult col = shift.applyColumn(new String[] {"2020-01-10"}, new String[] {"alice"});
                check(col.values()[0].equals(d), "column agrees with one value");
                fails(Status.INVALID_ARGUMENT, () -> shift.apply("2020-01-10"));
            }
        });

        test("validators", () -> {
            check(Validators.isValid("resident_id", "11010519491231002X"), "valid id");
            check(!Validators.isValid("resident_id", "110105194912310021"), "bad check char");
            check(Validators.isValid("mobile", "13812345678"), "valid mobile");
            boolean[] f = Validators.isValid("bank_card", new String[] {"4111111111111111", "4111111111111112"});
            check(f.length == 2 && f[0] && !f[1], "column");
            fails(Status.INVALID_ARGUMENT, () -> Validators.isValid("no_such_type", "x"));
        });

        test("scan a planted CSV", () -> {
            String csv = "city,phone,id_number\n"
                    + "Beijing,13800138000,110105198001011238\n"
                    + "Shanghai,15012345678,440524198001011235\n"
                    + "Shenzhen,18612345678,31010119800101123X\n"
                    + "Nanjing,13912345678,320102198001011238\n";
            String report = Scan.csv(b(csv), "{\"min_values\":3}");
            check(report.contains("\"name\":\"phone\"") && report.contains("\"detected\":\"mobile\""), "mobile");
            check(report.contains("\"detected\":\"resident_id\""), "resident id");
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile("privshare-scan", ".csv");
            try {
                java.nio.file.Files.write(tmp, b(csv));
                check(Scan.csv(tmp, "{\"min_values\":3}").equals(report), "from a file");
            } finally {
                java.nio.file.Files.delete(tmp);
            }
            fails(Status.INVALID_ARGUMENT, () -> Scan.csv(b(csv), "{"));
            fails(Status.IO, () -> Scan.csv(java.nio.file.Paths.get("/nonexistent/privshare.csv")));
        });

        test("anonymize a CSV", () -> {
            String csv = "zip,disease\n47677,flu\n47678,cold\n47602,flu\n47605,cold\n";
            String rows = "[[\"47677\",\"4767*\",\"*\"],[\"47678\",\"4767*\",\"*\"],[\"47602\",\"4760*\",\"*\"],"
                    + "[\"47605\",\"4760*\",\"*\"]]";
            String k2 = "{\"attributes\":[{\"name\":\"zip\",\"role\":\"quasi_identifying\",\"hierarchy\":"
                    + "{\"type\":\"rows\",\"rows\":" + rows + "}}],\"models\":[{\"model\":\"k_anonymity\",\"k\":2}]}";
            Anonymizer.Result r = Anonymizer.anonymizeCsv(b(csv), k2);
            check(new String(r.csv(), StandardCharsets.UTF_8)
                    .equals("zip,disease\n4767*,flu\n4767*,cold\n4760*,flu\n4760*,cold\n"), "k=2 output");
            check(r.reportJson().contains("\"suppressed\": 0"), "report");
            String k3 = k2.replace("\"k\":2", "\"k\":3").replace(",\\\"*\\\"", "").replace(",\"*\"]", "]");
            PrivshareException e = fails(Status.ANONYMIZATION_INFEASIBLE, () -> Anonymizer.anonymizeCsv(b(csv), k3));
            check(e.getErrorMessage().contains("no transformation satisfies"), "infeasible message");
            // The best possible, as a report: every record suppressed, k=3 not holding, zip at its top level.
            String best = e.getDetails();
            check(best != null && best.startsWith("{"), "infeasible details: " + best);
            check(best.contains("\"suppressed\": 4") && best.contains("\"suppression_limit\": 0.0"), "suppressed");
            check(best.contains("3-anonymity") && best.contains("\"holds\": false"), "model does not hold");
            check(best.contains("\"attribute\": \"zip\"") && best.contains("\"level\": "), "levels");
            check(!best.contains("4767") && !best.contains("flu"), "no data values in details");
            // A file read twice: the output file holds the in-memory output; an error writes nothing.
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-anon");
            java.nio.file.Path in = dir.resolve("in.csv"), out = dir.resolve("out.csv");
            java.nio.file.Files.write(in, b(csv));
            String fileReport = Anonymizer.anonymizeCsvFile(in.toString(), out.toString(), ',', k2);
            check(Arrays.equals(java.nio.file.Files.readAllBytes(out), r.csv()), "two-pass output");
            check(fileReport.contains("\"suppressed\": 0"), "two-pass report");
            java.nio.file.Files.delete(out);
            fails(Status.ANONYMIZATION_INFEASIBLE, () -> Anonymizer.anonymizeCsvFile(in.toString(), out.toString(), ',', k3));
            fails(Status.INVALID_ARGUMENT, () -> Anonymizer.anonymizeCsvFile(in.toString(), in.toString(), ',', k2));
            check(!java.nio.file.Files.exists(out), "no output after an error");
            e = fails(Status.INVALID_ARGUMENT, () -> Anonymizer.anonymizeCsv(b(csv), "{"));
            check(e.getDetails() == null, "an ordinary error has no details");
            check(!e.getLine().isPresent() || e.getLine().getAsLong() == 1, "a one-line spec: line 1");
            // A value missing from the hierarchy names the file's line (header = line 1), row and column.
            e = fails(Status.INVALID_INPUT, () -> Anonymizer.anonymizeCsv(b(csv.replace("47605", "57605")), k2));
            check(e.getLine().equals(java.util.OptionalLong.of(5)) && e.getRow().equals(java.util.OptionalLong.of(3))
                    && e.getColumn().get().equals("zip"), "line, row and column of a missing value");
        });

        test("anonymize columns", () -> {
            String rows = "[[\"47677\",\"4767*\",\"*\"],[\"47678\",\"4767*\",\"*\"],[\"47602\",\"4760*\",\"*\"],"
                    + "[\"47605\",\"4760*\",\"*\"]]";
            String k2 = "{\"attributes\":[{\"name\":\"zip\",\"role\":\"quasi_identifying\",\"hierarchy\":"
                    + "{\"type\":\"rows\",\"rows\":" + rows + "}}],\"models\":[{\"model\":\"k_anonymity\",\"k\":2}]}";
            String[] names = {"zip", "note"};
            String[][] columns = {{"47677", "47678", "47602", "47605"}, {"a;b", "say \"hi\"", "北京", ""}};
            String csv = "zip;note\n47677;\"a;b\"\n47678;\"say \"\"hi\"\"\"\n47602;北京\n47605;\n";
            Anonymizer.Result r = Anonymizer.anonymizeColumns(names, columns, ';', k2);
            Anonymizer.Result viaCsv = Anonymizer.anonymizeCsv(b(csv), ';', k2);
            String out = new String(r.csv(), StandardCharsets.UTF_8);
            check(out.equals("zip;note\n4767*;\"a;b\"\n4767*;\"say \"\"hi\"\"\"\n4760*;北京\n4760*;\n"), "columns output");
            check(java.util.Arrays.equals(r.csv(), viaCsv.csv()), "same CSV as anonymizeCsv");
            String timeless = "(?m)^.*\"search_ms\".*$";
            check(r.reportJson().replaceAll(timeless, "").equals(viaCsv.reportJson().replaceAll(timeless, "")),
                    "same report as anonymizeCsv but for the time");
            check(new String(Anonymizer.anonymizeColumns(names, columns, k2).csv(), StandardCharsets.UTF_8)
                    .startsWith("zip,note\n4767*,a;b\n"), "comma by default");
            String k3 = k2.replace("\"k\":2", "\"k\":3").replace(",\"*\"]", "]");
            PrivshareException e = fails(Status.ANONYMIZATION_INFEASIBLE,
                    () -> Anonymizer.anonymizeColumns(names, columns, k3));
            check(e.getErrorMessage().contains("suppresses 4 records"), "infeasible message");
            check(e.getDetails() != null && e.getDetails().contains("\"suppressed\": 4"), "infeasible details");
            e = fails(Status.INVALID_INPUT,
                    () -> Anonymizer.anonymizeColumns(names, new String[][] {columns[0], {"x", "y", "z"}}, k2));
            check(e.getColumn().equals(java.util.Optional.of("note")), "ragged names the column");
            check(e.getErrorMessage().contains("3 values, the first column 4"), "ragged message");
            e = fails(Status.INVALID_INPUT,
                    () -> Anonymizer.anonymizeColumns(new String[] {"zip", "zip"}, columns, k2));
            check(e.getColumn().equals(java.util.Optional.of("zip")), "repeated name");
            e = fails(Status.INVALID_INPUT, () -> Anonymizer.anonymizeColumns(names,
                    new String[][] {{"47677", "47678", "47602", "99999"}, columns[1]}, k2));
            check(e.getRow().equals(java.util.OptionalLong.of(3)) && e.getColumn().get().equals("zip"),
                    "value missing from the hierarchy: row and column");
            fails(Status.INVALID_ARGUMENT, () -> Anonymizer.anonymizeColumns(new String[0], new String[0][], k2));
            fails(Status.INVALID_ARGUMENT, () -> Anonymizer.anonymizeColumns(names, columns, "{"));
            for (Body bad : new Body[] {
                    () -> Anonymizer.anonymizeColumns(new String[] {"zip"}, columns, k2),
                    () -> Anonymizer.anonymizeColumns(names, new String[][] {columns[0], {"a", null, "b", "c"}}, k2),
                    () -> Anonymizer.anonymizeColumns(names, columns, 'é', k2)}) {
                try {
                    bad.run();
                    check(false, "IllegalArgumentException expected");
                } catch (IllegalArgumentException expected) {
                    // refused before the native call
                }
            }
        });

        test("audit log: an SM2 identity signs tree heads", () -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-audit-sm2");
            String rec = "{\"time_ms\":1760000000000,\"event\":\"sent\",\"message_id\":\"%032x\","
                    + "\"sender\":\"CN-GOV/GOV/1/tax\",\"recipients\":[\"CN-GOV/GOV/2/health\"],"
                    + "\"purpose\":\"p\",\"payload_hash\":\"%064x\",\"payload_len\":1}";
            try (SigningKey identity = SigningKey.generate(SigningKey.SM2);
                    SigningKey other = SigningKey.generate(SigningKey.SM2);
                    AuditLog log = AuditLog.create(dir.resolve("log").toString(), Suite.SM);
                    AuditSigner key = AuditSigner.load(identity.privatePem())) {
                log.appendJson("[" + String.format(rec, 1, 1) + "]");
                byte[] head = log.signTreeHead(key);
                try (AuditVerifier v = AuditVerifier.create(new byte[][] {key.publicKey()}, new byte[0][]);
                        AuditVerifier w = AuditVerifier.create(
                                new byte[][] {other.publicPem().getBytes(StandardCharsets.UTF_8)}, new byte[0][])) {
                    v.verifyTreeHead(head);
                    fails(Status.UNKNOWN_KEY, () -> w.verifyTreeHead(head));
                }
            }
        });

        test("audit log: append, sign, verify, prove, attacks, torn tail", () -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-audit");
            String path = dir.resolve("log").toString();
            String rec = "{\"time_ms\":1760000000000,\"event\":\"sent\",\"message_id\":\"%032x\","
                    + "\"sender\":\"EE/GOV/70000001/tax\",\"recipients\":[\"EE/GOV/70000002/health\"],"
                    + "\"purpose\":\"eligibility\",\"payload_hash\":\"%064x\",\"payload_len\":%d}";
            byte[] pkcs8 = AuditSigner.generatePkcs8();
            try (AuditLog log = AuditLog.create(path, Suite.SM); AuditSigner key = AuditSigner.load(pkcs8)) {
                long[] at = log.appendJson("[" + String.format(rec, 1, 1, 1) + "," + String.format(rec, 2, 2, 2) + "]");
                check(at[0] == 0 && at[1] == 2, "first batch");
                byte[] head2 = log.signTreeHead(key);
                at = log.appendJson("[" + String.format(rec, 3, 3, 3) + "]");
                check(at[0] == 2 && at[1] == 3 && log.size() == 3, "second batch");
                byte[] head3 = log.signTreeHead(key);
                byte[] leaf = AuditLog.leafHash(Suite.SM, String.format(rec, 3, 3, 3));
                AuditLog.verifyInclusionProof(log.inclusionProof(2, 3), leaf, log.root(3));
                fails(Status.AUTHENTICATION_FAILED, () -> AuditLog.verifyInclusionProof(log.inclusionProof(2, 3), leaf,
                        log.root(2)));
                byte[] proof = log.consistencyProof(2, 3);
                AuditLog.verifyConsistencyProof(proof, log.root(2), log.root(3));
                PrivshareException bad = fails(Status.INVALID_ARGUMENT, () -> log.appendJson("[" + String.format(rec, 4,
                        4, 4) + ",{\"event\":\"sent\"}]"));
                check(bad.getRow().equals(java.util.OptionalLong.of(1)), "bad record row");
                try (AuditVerifier v = AuditVerifier.create(new byte[][] {key.publicKey()}, new byte[][] {head2})) {
                    AuditVerifier.Report r = v.verifyFile(path);
                    check(r.records == 3 && r.treeHeads == 2 && r.unsignedRecords == 0 && r.suite == Suite.SM,
                            "report");
                    check(Arrays.equals(r.root, log.root(3)), "report root");
                    v.verifyTreeHead(head3);
                    v.checkConsistency(head2, head3, proof);
                    // A changed byte, then a cut inside the last frame.
                    byte[] data = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(path));
                    String changed = dir.resolve("changed").toString();
                    byte[] c = data.clone();
                    c[80] ^= 1;
                    java.nio.file.Files.write(java.nio.file.Paths.get(changed), c);
                    fails(Status.AUDIT_LOG_MISMATCH, () -> v.verifyFile(changed));
                    String torn = dir.resolve("torn").toString();
                    java.nio.file.Files.write(java.nio.file.Paths.get(torn), Arrays.copyOf(data, data.length - 5));
                    fails(Status.AUDIT_LOG_TORN_TAIL, () -> v.verifyFile(torn));
                    fails(Status.AUDIT_LOG_TORN_TAIL, () -> AuditLog.open(torn).close());
                    check(AuditLog.recover(torn) > 0, "recovered");
                    try (AuditLog again = AuditLog.open(torn)) {
                        check(again.size() == 3, "the last frame was the head");
                    }
                }
                fails(Status.IO, () -> AuditLog.create(path, Suite.AES).close());
            }
        });

        envelopeTests();
        policyTests();
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static final String SENDER = "CN/GOV/111/tax";
    private static final String RECIPIENT = "CN/GOV/222/stats";
    private static final long T0 = 1_800_000_000L;

    private static void envelopeTests() {
        test("envelope seal and open, every suite", () -> {
            int[][] suites = {{SigningKey.ED25519, RecipientKey.X25519}, {SigningKey.ECDSA_P256, RecipientKey.P256},
                    {SigningKey.SM2, RecipientKey.SM2}};
            for (int[] suite : suites) {
                try (SigningKey signer = SigningKey.generate(suite[0]);
                        RecipientKey key = RecipientKey.generate(suite[1]);
                        TrustRegistry reg = TrustRegistry.create();
                        ReplayStore store = ReplayStore.inMemory();
                        Sealer sealer = Sealer.create(SENDER)) {
                    reg.add(SENDER, b(signer.publicPem()), 0, 0);
                    sealer.addRecipient(RECIPIENT, key.publicPem()).text("purpose", "statistics")
                            .policy("tax-to-stats", 3, new byte[32], new byte[0]).columnKeyVersion("resident_id", 7)
                            .options(T0, 3600, Sealer.PADDING_POWER_OF_TWO, 0, 1024);
                    byte[] env = sealer.seal(signer, b("id,income\n1,100\n"));
                    Envelope.Opened opened = Envelope.open(reg, RECIPIENT, key, store, T0 + 10, 300, env);
                    check(new String(opened.payload, StandardCharsets.UTF_8).equals("id,income\n1,100\n"), "payload");
                    check(opened.headerJson.contains("\"purpose\":\"statistics\""), opened.headerJson);
                    fails(Status.REPLAY, () -> Envelope.open(reg, RECIPIENT, key, store, T0 + 10, 300, env));
                }
            }
        });

        test("envelope errors have their own codes", () -> {
            try (SigningKey signer = SigningKey.generate(SigningKey.ED25519);
                    RecipientKey key = RecipientKey.generate(RecipientKey.X25519);
                    RecipientKey stranger = RecipientKey.generate(RecipientKey.X25519);
                    TrustRegistry reg = TrustRegistry.create();
                    TrustRegistry empty = TrustRegistry.create();
                    ReplayStore store = ReplayStore.inMemory();
                    Sealer sealer = Sealer.create(SENDER)) {
                reg.add(SENDER, b(signer.publicPem()), 0, 0);
                sealer.addRecipient(RECIPIENT, key.publicPem()).options(T0, 3600, Sealer.PADDING_NONE, 0, 0);
                byte[] env = sealer.seal(signer, b("x"));
                byte[] bad = env.clone();
                bad[bad.length - 1] ^= 1;
                fails(Status.BAD_SIGNATURE, () -> Envelope.open(reg, RECIPIENT, key, store, T0, 300, bad));
                fails(Status.MALFORMED_ENVELOPE,
                        () -> Envelope.open(reg, RECIPIENT, key, store, T0, 300, java.util.Arrays.copyOf(env, 20)));
                fails(Status.EXPIRED, () -> Envelope.open(reg, RECIPIENT, key, store, T0 + 3900, 300, env));
                fails(Status.NOT_YET_VALID, () -> Envelope.open(reg, RECIPIENT, key, store, T0 - 301, 300, env));
                fails(Status.NOT_RECIPIENT, () -> Envelope.open(reg, RECIPIENT, stranger, store, T0, 300, env));
                fails(Status.UNKNOWN_SENDER, () -> Envelope.open(empty, RECIPIENT, key, store, T0, 300, env));
                fails(Status.INVALID_ARGUMENT, () -> Sealer.create("not an id"));
            }
        });

        test("signing keys, registry verification, persistent replay store", () -> {
            try (SigningKey key = SigningKey.generate(SigningKey.SM2);
                    SigningKey again = SigningKey.load(key.privatePem());
                    TrustRegistry reg = TrustRegistry.create()) {
                check(java.util.Arrays.equals(key.keyId(), again.keyId()), "same key id after reloading");
                byte[] sig = again.sign(b("tree head"));
                SigningKey.verify(b(key.publicPem()), b("tree head"), sig);
                fails(Status.AUTHENTICATION_FAILED, () -> SigningKey.verify(b(key.publicPem()), b("tree heaD"), sig));
                reg.add(SENDER, b(key.publicPem()), 100, 200);
                reg.verify(SENDER, key.keyId(), 150, b("tree head"), sig);
                fails(Status.UNKNOWN_SENDER, () -> reg.verify(SENDER, key.keyId(), 250, b("tree head"), sig));
                try (TrustRegistry loaded = TrustRegistry.fromJson(reg.toJson())) {
                    loaded.verify(SENDER, key.keyId(), 150, b("tree head"), sig);
                }
            }
            try (SigningKey ed = SigningKey.generate(SigningKey.ED25519)) {
                // An Ed25519 key cannot receive (an EC key on P-256 or SM2 can be either kind).
                fails(Status.UNSUPPORTED_ALGORITHM, () -> RecipientKey.load(ed.privatePem()));
            }
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-java-envelope");
            String path = dir.resolve("replay").toString();
            try (SigningKey signer = SigningKey.generate(SigningKey.ED25519);
                    RecipientKey key = RecipientKey.generate(RecipientKey.X25519);
                    TrustRegistry reg = TrustRegistry.create();
                    Sealer sealer = Sealer.create(SENDER)) {
                reg.add(SENDER, b(signer.publicPem()), 0, 0);
                byte[] env = sealer.addRecipient(RECIPIENT, key.publicPem()).seal(signer, b("x"));
                try (ReplayStore store = ReplayStore.open(path)) {
                    Envelope.open(reg, RECIPIENT, key, store, 0, 300, env);
                }
                try (ReplayStore store = ReplayStore.open(path)) {
                    fails(Status.REPLAY, () -> Envelope.open(reg, RECIPIENT, key, store, 0, 300, env));
                }
            }
            java.nio.file.Files.delete(java.nio.file.Paths.get(path));
            java.nio.file.Files.delete(dir);
        });
    }

    private static final String POLICY = String.join("\n",
            "policy = \"clinic-to-registry\"",
            "version = 3",
            "dataset = \"visits-2026\"",
            "sender = \"" + SENDER + "\"",
            "recipients = [\"" + RECIPIENT + "\"]",
            "purpose = \"disease registry\"",
            "suite = \"aes\"",
            "[columns]",
            "visit = { action = \"keep\" }",
            "patient = { action = \"token\", purpose = \"registry-linkage\" }",
            "mobile = { action = \"mask\", rule = \"mobile\" }",
            "notes = { action = \"drop\" }",
            "");
    private static final String VISITS = "visit,patient,mobile,notes\n1,Li Lei,13812345678,fever\n"
            + "2,Han Meimei,13987654321,cough\n";

    private static String read(java.nio.file.Path p) throws java.io.IOException {
        return new String(java.nio.file.Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    private static void policyTests() {
        test("policy: a plan protects a CSV file", () -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-java-policy");
            java.nio.file.Path in = dir.resolve("in.csv");
            java.nio.file.Path out = dir.resolve("out.csv");
            java.nio.file.Files.write(in, b(VISITS));
            Plan plan;
            try (Keyset ks = Keyset.generate(Suite.AES)) {
                plan = Plan.compile(POLICY, false, ks);
            }
            try (Plan p = plan) {
                // The keyset is closed: the plan holds its own derived keys.
                String report = p.protectCsvFile(in, out, ',');
                String data = read(out);
                check(data.startsWith("visit,patient,mobile\n1,pt1:"), data);
                check(data.contains(",138****5678\n2,pt1:") && data.endsWith(",139****4321\n"), data);
                check(!data.contains("Li Lei") && !data.contains("fever"), "names and notes are gone");
                check(report.contains("\"policy_version\": 3") && report.contains("\"rows\": 2"), report);
                check(report.contains("\"action\": \"token\""), report);
            }
            try {
                plan.protectCsvFile(in, out, ',');
                throw new AssertionError("expected IllegalStateException");
            } catch (IllegalStateException expected) {
                // closed
            }
            String json = "{\"policy\":\"p\",\"version\":1,\"dataset\":\"d\",\"purpose\":\"x\",\"suite\":\"sm\","
                    + "\"columns\":{\"a\":{\"action\":\"keep\"},\"b\":{\"action\":\"mask\",\"rule\":\"mobile\"}}}";
            java.nio.file.Files.write(in, b("a;b\nx;13812345678\n"));
            java.nio.file.Files.delete(out);
            try (Keyset ks = Keyset.generate(Suite.SM); Plan p = Plan.compile(json, true, ks)) {
                check(p.protectCsvFile(in, out, ';').contains("\"rows\": 1"), "JSON policy report");
                check(read(out).equals("a;b\nx;138****5678\n"), read(out));
            }
            java.nio.file.Files.delete(in);
            java.nio.file.Files.delete(out);
            java.nio.file.Files.delete(dir);
        });

        test("policy: problems name their lines, data must match the policy", () -> {
            String bad = "policy = \"p\"\nversion = 0\ndataset = \"d\"\npurpose = \"x\"\nsuite = \"aes\"\n"
                    + "[columns]\na = { action = \"keep\" }\n\n\nb = { action = \"shred\" }\n";
            try (Keyset ks = Keyset.generate(Suite.AES)) {
                PrivshareException e = fails(Status.POLICY, () -> Plan.compile(bad, false, ks).close());
                check(e.getErrorMessage().contains("2 problems"), e.getErrorMessage());
                check(e.getErrorMessage().contains("line 2: ") && e.getErrorMessage().contains("line 10: "),
                        e.getErrorMessage());
                check(e.getDetails() != null && e.getDetails().contains("\"line\":10")
                        && e.getDetails().contains("\"path\":\"version\""), String.valueOf(e.getDetails()));
                e = fails(Status.POLICY, () -> Plan.compile(POLICY, true, ks).close());
                check(e.getDetails() != null && e.getDetails().startsWith("["), "one problem, listed");
                try (Keyset sm = Keyset.generate(Suite.SM)) {
                    e = fails(Status.POLICY, () -> Plan.compile(POLICY, false, sm).close());
                    check(e.getErrorMessage().contains("suite is `aes`"), e.getErrorMessage());
                }
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-java-policy");
                java.nio.file.Path in = dir.resolve("in.csv");
                java.nio.file.Path out = dir.resolve("out.csv");
                java.nio.file.Files.write(in, b("visit,patient,mobile,age\n1,Li Lei,13812345678,41\n"));
                try (Plan p = Plan.compile(POLICY, false, ks)) {
                    e = fails(Status.POLICY, () -> p.protectCsvFile(in, out, ','));
                    check(e.getErrorMessage().contains("`age` (column 4) is not in the policy"), e.getErrorMessage());
                    check(e.getErrorMessage().contains("line 12: column `notes` is not in the data"),
                            e.getErrorMessage());
                    check(!java.nio.file.Files.exists(out), "no output on failure");
                    java.nio.file.Files.write(in, b("visit,patient,mobile,notes\n1,\"Li Lei,13812345678,a\n"));
                    e = fails(Status.INVALID_INPUT, () -> p.protectCsvFile(in, out, ','));
                    check(e.getLine().isPresent() && e.getLine().getAsLong() == 2, e.getMessage());
                    check(!e.getMessage().contains("Li Lei"), "no value in the message");
                }
                java.nio.file.Files.delete(in);
                java.nio.file.Files.delete(dir);
            }
        });

        test("policy: share a package, open it once; tampering is refused", () -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-java-policy");
            java.nio.file.Path in = dir.resolve("in.csv");
            java.nio.file.Path pkg = dir.resolve("package.pse");
            java.nio.file.Path opened = dir.resolve("opened.csv");
            java.nio.file.Path plain = dir.resolve("protected.csv");
            java.nio.file.Files.write(in, b(VISITS));
            try (Keyset ks = Keyset.generate(Suite.AES);
                    Plan plan = Plan.compile(POLICY, false, ks);
                    SigningKey signer = SigningKey.generate(SigningKey.ED25519);
                    RecipientKey key = RecipientKey.generate(RecipientKey.X25519);
                    TrustRegistry reg = TrustRegistry.create();
                    ReplayStore store = ReplayStore.inMemory()) {
                reg.add(SENDER, b(signer.publicPem()), 0, 0);
                java.util.Map<String, String> to = java.util.Collections.singletonMap(RECIPIENT, key.publicPem());
                String sent = plan.shareCsvFile(in, pkg, ',', signer, to, 3600);
                Plan.OpenedPackage got = Plan.openPackageFile(reg, RECIPIENT, key, store, 0, 300, pkg, opened);
                check(got.reportJson().equals(sent), "the sender's report arrives");
                String h = got.headerJson();
                check(h.contains("\"sender\":\"" + SENDER + "\"") && h.contains("\"id\":\"clinic-to-registry\"")
                        && h.contains("\"version\":3"), h);
                plan.protectCsvFile(in, plain, ',');
                check(read(opened).equals(read(plain)), "the package holds the protected data");
                java.nio.file.Files.delete(opened);
                fails(Status.REPLAY, () -> Plan.openPackageFile(reg, RECIPIENT, key, store, 0, 300, pkg, opened));
                check(!java.nio.file.Files.exists(opened), "no output on replay");

                java.util.Map<String, String> extra = new java.util.HashMap<>(to);
                extra.put("CN/GOV/333/other", key.publicPem());
                fails(Status.INVALID_ARGUMENT, () -> plan.shareCsvFile(in, pkg, ',', signer, extra, 0));
                fails(Status.INVALID_ARGUMENT,
                        () -> plan.shareCsvFile(in, pkg, ',', signer, java.util.Collections.emptyMap(), 0));

                byte[] bytes = java.nio.file.Files.readAllBytes(pkg);
                bytes[bytes.length - 100] ^= 1; // the last data chunk: the signed body hash no longer matches
                java.nio.file.Files.write(pkg, bytes);
                try (ReplayStore fresh = ReplayStore.inMemory()) {
                    fails(Status.BAD_SIGNATURE,
                            () -> Plan.openPackageFile(reg, RECIPIENT, key, fresh, 0, 300, pkg, opened));
                }
                check(!java.nio.file.Files.exists(opened), "no output when tampered");
            }
            for (java.nio.file.Path p : new java.nio.file.Path[] {in, pkg, plain}) {
                java.nio.file.Files.delete(p);
            }
            java.nio.file.Files.delete(dir);
        });

        test("policy: JSON Lines protected, revealed and shared padded", () -> {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("privshare-java-jsonl");
            java.nio.file.Path in = dir.resolve("in.jsonl");
            java.nio.file.Path out = dir.resolve("out.jsonl");
            java.nio.file.Path back = dir.resolve("back.jsonl");
            java.nio.file.Path pkg = dir.resolve("package.pse");
            java.nio.file.Path opened = dir.resolve("opened.jsonl");
            java.nio.file.Files.write(in, b("{\"visit\": 1, \"patient\": \"Li Lei\", \"mobile\": \"13812345678\", "
                    + "\"notes\": \"x\"}\n{\"visit\": 2, \"patient\": \"Han Meimei\", \"mobile\": null}\n"));
            try (Keyset ks = Keyset.generate(Suite.AES);
                    Plan plan = Plan.compile(POLICY, false, ks);
                    SigningKey signer = SigningKey.generate(SigningKey.ED25519);
                    RecipientKey key = RecipientKey.generate(RecipientKey.X25519);
                    TrustRegistry reg = TrustRegistry.create();
                    ReplayStore store = ReplayStore.inMemory()) {
                String report = plan.protectFile(in, out, Plan.DataFormat.JSONL, ',');
                check(report.contains("\"absent\": 1"), report);
                String text = read(out);
                check(text.startsWith("{\"visit\":1,\"patient\":\"pt1:") && text.contains("\"mobile\":null}")
                        && !text.contains("notes"), text);
                plan.revealFile(out, back, Plan.DataFormat.JSONL, ',');
                check(read(back).equals(text), "tokens and masks come back as they are");
                reg.add(SENDER, b(signer.publicPem()), 0, 0);
                java.util.Map<String, String> to = java.util.Collections.singletonMap(RECIPIENT, key.publicPem());
                plan.shareFile(in, pkg, Plan.DataFormat.JSONL, ',', signer, to, 3600, true);
                check(java.nio.file.Files.size(pkg) > 1024, "padded to at least 1 KiB");
                Plan.OpenedPackage got = Plan.openPackageFile(reg, RECIPIENT, key, store, 0, 300, pkg, opened);
                check(got.headerJson().contains("package+jsonl"), got.headerJson());
                check(read(opened).equals(text), "the package holds the protected JSON Lines");
            }
            for (java.nio.file.Path p : new java.nio.file.Path[] {in, out, back, pkg, opened}) {
                java.nio.file.Files.delete(p);
            }
            java.nio.file.Files.delete(dir);
        });
    }
}
