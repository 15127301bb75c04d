package org.privshare;

import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * PII detection: which CSV column holds which kind of personal data. Returns the report as JSON (the serde
 * form of {@code privshare::mask::ScanReport}: {@code {"rows_read":…, "columns":[{"name":…,
 * "detected":"mobile"|null, …}]}}).
 */
public final class Scan {
    private Scan() {}

    /** Scans CSV bytes (header row, comma-separated) with default options. */
    public static String csv(byte[] csv) {
        return csv(csv, null);
    }

    /** Scans CSV bytes; {@code optionsJson} (may be null) holds ScanOptions, e.g. {@code {"min_values":5}}. */
    public static String csv(byte[] csv, String optionsJson) {
        NativeLib.Buffer buf = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_scan_csv(csv, new SizeT(csv.length), Handle.cstr(optionsJson), buf, err),
                err);
        return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
    }

    /** Scans the CSV file at {@code path} with default options. */
    public static String csv(Path path) {
        return csv(path, null);
    }

    /** Scans the CSV file at {@code path}. */
    public static String csv(Path path, String optionsJson) {
        NativeLib.Buffer buf = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_scan_csv_path(Handle.cstr(path.toString()), Handle.cstr(optionsJson), buf,
                err), err);
        return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
    }
}
