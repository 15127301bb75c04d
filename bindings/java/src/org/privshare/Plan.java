package org.privshare;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sharing policy (docs/policy.md) compiled with a keyset: one ready transformer per column, keys derived
 * once. Immutable and thread-safe; it keeps working after its keyset is closed or rotated.
 *
 * <pre>{@code
 * try (Keyset ks = Keyset.generate(Suite.AES); Plan plan = Plan.compile(policyToml, false, ks)) {
 *     String reportJson = plan.protectCsvFile(Paths.get("visits.csv"), Paths.get("protected.csv"), ',');
 * }
 * }</pre>
 *
 * <p>A policy with problems, or data whose columns do not match it, throws {@link PrivshareException} with
 * code {@link Status#POLICY}: the message lists every problem (with its line in a TOML policy) and
 * {@link PrivshareException#getDetails()} is the list as JSON ({@code [{"line": 3, "path": "columns.age",
 * "message": "..."}]}). Data errors name the file line, the row and the column, never a value.
 */
public final class Plan extends Handle {
    private static final int TOML = 1;
    private static final int JSON = 2;
    private static final int PAD_NONE = 0;
    private static final int PAD_POWER_OF_TWO = 1;

    /** The format of a data file: the output has the input's. */
    public enum DataFormat {
        /** A header line, then records separated by the delimiter given beside the format. */
        CSV(1),
        /**
         * One JSON object per line (docs/policy.md: kept values are written back as they were, {@code null}
         * and missing keys are left so, protected values are strings; the delimiter is ignored).
         */
        JSONL(2);

        final int code;

        DataFormat(int code) {
            this.code = code;
        }
    }

    private Plan(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_plan_free(p);
    }

    /** Parses {@code policyText} (JSON if {@code json}, TOML otherwise) and compiles it with {@code keyset}. */
    public static Plan compile(String policyText, boolean json, Keyset keyset) {
        return keyset.with(k -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_plan_new(cstr(policyText), json ? JSON : TOML, k, out, err), err);
            return new Plan(out.getValue());
        });
    }

    /**
     * Protects the CSV file {@code input} (a header line, fields separated by {@code delimiter}, an ASCII
     * character) into a new file {@code output}, which appears only on success and may not be the input.
     *
     * @return the report as JSON (policy, version, dataset, rows, what was done to each column)
     */
    public String protectCsvFile(Path input, Path output, char delimiter) {
        Anonymizer.checkDelimiter(delimiter);
        return with(p -> {
            NativeLib.Buffer report = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_plan_protect_csv_file(p, path(input), path(output), (byte) delimiter, report, err),
                    err);
            return text(report);
        });
    }

    /** {@link #protectCsvFile} for a file in {@code format}; the output is in the same format. */
    public String protectFile(Path input, Path output, DataFormat format, char delimiter) {
        return fileCall(input, output, format, delimiter, false);
    }

    /**
     * For a holder of the plan's keyset: decrypts the {@code encrypt}, {@code encrypt_deterministic} and
     * {@code fpe} columns of a file the plan's policy protected into a new file {@code output}; tokens, masks
     * and generalized values stay as they are.
     *
     * @return the report as JSON
     */
    public String revealFile(Path input, Path output, DataFormat format, char delimiter) {
        return fileCall(input, output, format, delimiter, true);
    }

    private String fileCall(Path input, Path output, DataFormat format, char delimiter, boolean reveal) {
        Anonymizer.checkDelimiter(delimiter);
        return with(p -> {
            NativeLib.Buffer report = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            byte[] in = path(input);
            byte[] out = path(output);
            byte d = (byte) delimiter;
            check(reveal ? LIB.privshare_plan_reveal_file(p, in, out, format.code, d, report, err)
                    : LIB.privshare_plan_protect_file(p, in, out, format.code, d, report, err), err);
            return text(report);
        });
    }

    /**
     * Protects {@code input} as {@link #protectCsvFile} does and seals the result with its report into the
     * package file {@code output}, signed by {@code signer} as the policy's sender, for the policy's
     * recipients: {@code recipientPublicPems} maps each recipient's participant id to its public key
     * (SubjectPublicKeyInfo PEM). Every recipient the policy names needs a key, and no other may be given
     * ({@link Status#INVALID_ARGUMENT}). The package expires {@code lifetimeSecs} seconds after it is made
     * (0: the default 7 days).
     *
     * @return the report as JSON (also inside the package)
     */
    public String shareCsvFile(Path input, Path output, char delimiter, SigningKey signer,
            Map<String, String> recipientPublicPems, long lifetimeSecs) {
        return shareFile(input, output, DataFormat.CSV, delimiter, signer, recipientPublicPems, lifetimeSecs, false);
    }

    /**
     * {@link #shareCsvFile} for a file in {@code format}; with {@code pad}, the package's data is padded to the
     * next power of two (at least 1 KiB), so that its size does not reveal the row count exactly.
     */
    public String shareFile(Path input, Path output, DataFormat format, char delimiter, SigningKey signer,
            Map<String, String> recipientPublicPems, long lifetimeSecs, boolean pad) {
        Anonymizer.checkDelimiter(delimiter);
        int n = recipientPublicPems.size();
        Pointer[] ids = new Pointer[n];
        Pointer[] keys = new Pointer[n];
        Memory lens = new Memory((long) Math.max(n, 1) * Native.SIZE_T_SIZE);
        int i = 0;
        for (Map.Entry<String, String> e : recipientPublicPems.entrySet()) {
            ids[i] = memory(cstr(e.getKey()));
            byte[] key = e.getValue().getBytes(StandardCharsets.UTF_8);
            keys[i] = memory(key);
            FieldCipher.writeSize(lens, i, key.length);
            i++;
        }
        return with(p -> signer.with(s -> {
            NativeLib.Buffer report = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            // JNA passes an empty Pointer[] as NULL, which the C call accepts when the count is 0.
            check(LIB.privshare_plan_share_file(p, path(input), path(output), format.code, (byte) delimiter, s, ids,
                    keys, lens, new SizeT(n), lifetimeSecs, pad ? PAD_POWER_OF_TWO : PAD_NONE, 0, report, err), err);
            return text(report);
        }));
    }

    /** What {@link #openPackageFile} found. */
    public static final class OpenedPackage {
        private final String reportJson;
        private final String headerJson;

        OpenedPackage(String reportJson, String headerJson) {
            this.reportJson = reportJson;
            this.headerJson = headerJson;
        }

        /** The sender's report, as JSON. */
        public String reportJson() {
            return reportJson;
        }

        /**
         * The authenticated envelope header as JSON: {@code sender}, {@code policy} ({@code id},
         * {@code version}, {@code hash}), {@code purpose}, {@code created}, {@code expires},
         * {@code column_key_versions}, ...
         */
        public String headerJson() {
            return headerJson;
        }
    }

    /**
     * Opens the package file {@code input} addressed to {@code recipient} holding {@code key}, with every
     * check of {@link Envelope#openFile} ({@code now} in Unix seconds, 0: the system clock; {@code clockSkew}
     * in seconds, 300 is usual; each failed check its own code), and writes the protected data to
     * {@code output}, which appears only when everything checked.
     */
    public static OpenedPackage openPackageFile(TrustRegistry registry, String recipient, RecipientKey key,
            ReplayStore store, long now, long clockSkew, Path input, Path output) {
        return registry.with(r -> key.with(k -> store.with(s -> {
            NativeLib.Buffer report = new NativeLib.Buffer();
            NativeLib.Buffer header = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_package_open_file(r, cstr(recipient), k, s, now, clockSkew, path(input),
                    path(output), report, header, err), err);
            return new OpenedPackage(text(report), text(header));
        })));
    }

    private static byte[] path(Path p) {
        return cstr(p.toString());
    }

    private static String text(NativeLib.Buffer buf) {
        return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
    }

    private static Memory memory(byte[] bytes) {
        Memory m = new Memory(Math.max(bytes.length, 1));
        m.write(0, bytes, 0, bytes.length);
        return m;
    }
}
