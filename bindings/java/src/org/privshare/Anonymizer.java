package org.privshare;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * Anonymization of a CSV, or of named columns, as a JSON configuration says (attributes with roles and hierarchies, privacy
 * models, suppression limit; see docs/anonymization.md). When no transformation satisfies the models
 * within the suppression limit, throws {@link PrivshareException} with code
 * {@link Status#ANONYMIZATION_INFEASIBLE} whose message names the least suppression possible and whose
 * {@link PrivshareException#getDetails()} is the report (JSON) of the best transformation possible.
 */
public final class Anonymizer {
    private Anonymizer() {}

    /** The anonymized CSV and the report. */
    public static final class Result {
        private final byte[] csv;
        private final String reportJson;

        Result(byte[] csv, String reportJson) {
            this.csv = csv;
            this.reportJson = reportJson;
        }

        /** The anonymized CSV with a header row (the input's delimiter, or the one given for columns). */
        public byte[] csv() {
            return csv.clone();
        }

        /** The report as JSON (levels, suppressed records, classes, loss, risks). */
        public String reportJson() {
            return reportJson;
        }
    }

    /** Anonymizes comma-separated CSV bytes. */
    public static Result anonymizeCsv(byte[] csv, String configJson) {
        return anonymizeCsv(csv, ',', configJson);
    }

    /** Anonymizes CSV bytes separated by {@code delimiter} (an ASCII character). */
    public static Result anonymizeCsv(byte[] csv, char delimiter, String configJson) {
        checkDelimiter(delimiter);
        NativeLib.Buffer out = new NativeLib.Buffer();
        NativeLib.Buffer report = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_anonymize_csv(csv, new SizeT(csv.length), (byte) delimiter,
                Handle.cstr(configJson), out, report, err), err);
        return new Result(FieldCipher.take(out), new String(FieldCipher.take(report), StandardCharsets.UTF_8));
    }

    /**
     * Anonymizes the CSV file {@code input} (fields separated by {@code delimiter}, an ASCII character) into
     * a new file {@code output}, reading the input twice instead of loading it: memory grows with the
     * distinct combinations of quasi-identifier values, not the rows. The output file is what
     * {@link #anonymizeCsv} gives for the same bytes; it appears only on success and may not be the input.
     * The optimal search only ({@code "method": "mondrian"} needs the rows: {@link Status#INVALID_ARGUMENT}).
     *
     * @return the report as JSON
     */
    public static String anonymizeCsvFile(String input, String output, char delimiter, String configJson) {
        checkDelimiter(delimiter);
        NativeLib.Buffer report = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_anonymize_csv_file(Handle.cstr(input), Handle.cstr(output), (byte) delimiter,
                Handle.cstr(configJson), report, err), err);
        return new String(FieldCipher.take(report), StandardCharsets.UTF_8);
    }

    /**
     * Anonymizes named columns, {@code columns[i]} holding the values of column {@code names[i]}
     * (every column the same length), in one native call without going through CSV. The result's CSV
     * is comma-separated; see {@link #anonymizeColumns(String[], String[][], char, String)}.
     */
    public static Result anonymizeColumns(String[] names, String[][] columns, String configJson) {
        return anonymizeColumns(names, columns, ',', configJson);
    }

    /**
     * Anonymizes named columns; the result's CSV is separated by {@code delimiter} (an ASCII
     * character). Same configuration, output and errors as {@link #anonymizeCsv}; columns of different
     * lengths or a repeated name throw {@link PrivshareException} ({@link Status#INVALID_INPUT}, naming
     * the column). {@code names.length != columns.length} and null values throw
     * {@link IllegalArgumentException}.
     */
    public static Result anonymizeColumns(String[] names, String[][] columns, char delimiter, String configJson) {
        checkDelimiter(delimiter);
        if (names.length != columns.length) {
            throw new IllegalArgumentException(names.length + " names but " + columns.length + " columns");
        }
        int n = names.length;
        Pointer[] nameArgs = new Pointer[n];
        Pointer[] data = new Pointer[n];
        Pointer[] offsets = new Pointer[n];
        FieldCipher.Packed[] packed = new FieldCipher.Packed[n];
        Memory counts = new Memory((long) Math.max(n, 1) * Native.SIZE_T_SIZE);
        try {
            for (int i = 0; i < n; i++) {
                if (names[i] == null || columns[i] == null) {
                    throw new IllegalArgumentException("column " + i + " has no name or no values");
                }
                for (String v : columns[i]) {
                    if (v == null) {
                        throw new IllegalArgumentException("column " + names[i] + " holds a null value");
                    }
                }
                byte[] name = Handle.cstr(names[i]);
                Memory m = new Memory(name.length);
                m.write(0, name, 0, name.length);
                nameArgs[i] = m;
                packed[i] = new FieldCipher.Packed(FieldCipher.bytes(columns[i]));
                data[i] = packed[i].data;
                offsets[i] = packed[i].offsets;
                FieldCipher.writeSize(counts, i, columns[i].length);
            }
            NativeLib.Buffer out = new NativeLib.Buffer();
            NativeLib.Buffer report = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            // JNA passes an empty Pointer[] as NULL, which the C call accepts when the count is 0.
            Handle.check(Handle.LIB.privshare_anonymize_columns(nameArgs, new SizeT(n), data, offsets, counts,
                    (byte) delimiter, Handle.cstr(configJson), out, report, err), err);
            return new Result(FieldCipher.take(out), new String(FieldCipher.take(report), StandardCharsets.UTF_8));
        } finally {
            for (FieldCipher.Packed p : packed) {
                if (p != null) {
                    p.clear(); // the values may be personal data
                }
            }
        }
    }

    static void checkDelimiter(char delimiter) {
        if (delimiter == 0 || delimiter > 127) {
            throw new IllegalArgumentException("delimiter must be an ASCII character");
        }
    }
}
