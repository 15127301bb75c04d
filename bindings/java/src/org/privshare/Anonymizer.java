package org.privshare;

import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * Anonymization of a CSV as a JSON configuration says (attributes with roles and hierarchies, privacy
 * models, suppression limit; see docs/anonymization.md). When no transformation satisfies the models
 * within the suppression limit, throws {@link PrivshareException} with code
 * {@link Status#ANONYMIZATION_INFEASIBLE} whose message names the least suppression possible.
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

        /** The anonymized CSV (same delimiter as the input). */
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
        if (delimiter == 0 || delimiter > 127) {
            throw new IllegalArgumentException("delimiter must be an ASCII character");
        }
        NativeLib.Buffer out = new NativeLib.Buffer();
        NativeLib.Buffer report = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_anonymize_csv(csv, new SizeT(csv.length), (byte) delimiter,
                Handle.cstr(configJson), out, report, err), err);
        return new Result(FieldCipher.take(out), new String(FieldCipher.take(report), StandardCharsets.UTF_8));
    }
}
