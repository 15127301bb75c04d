package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * A masking rule (given as JSON, see docs/masking.md) compiled natively. Immutable and thread-safe: make
 * one per column and share it.
 *
 * <pre>{@code
 * try (Masker m = Masker.fromJson("{\"rule\":\"mobile\"}")) {
 *     m.apply("13812345678");                    // "138****5678"
 *     ColumnResult r = m.applyColumn(new String[] {"13800138000", "oops"});
 *     // r.values() = {"138****8000", "****"}, r.invalidRows() = {1}
 * }
 * }</pre>
 */
public final class Masker extends Handle {
    private Masker(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_masker_free(p);
    }

    /** A rule that needs no key, e.g. {@code {"rule":"resident_id"}}. */
    public static Masker fromJson(String ruleJson) {
        return fromJson(ruleJson, false, null);
    }

    /**
     * A rule that needs no key. In {@code strict} mode a value that does not parse throws
     * ({@link Status#INVALID_INPUT}, naming row and column) instead of being masked completely;
     * {@code column} (may be null) names the column in errors.
     */
    public static Masker fromJson(String ruleJson, boolean strict, String column) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_masker_new(cstr(ruleJson), flag(strict), cstr(column), out, err), err);
        return new Masker(out.getValue());
    }

    /**
     * A keyed rule ({@code hash}, {@code date_shift}) for column {@code field} of {@code dataset}, its key
     * derived once from key version {@code keyId} (no default: take {@link Keyset#primaryId()} and record it,
     * since hashes and shifts made under another version do not match).
     */
    public static Masker keyed(String ruleJson, Keyset keyset, int keyId, String dataset, String field) {
        return keyed(ruleJson, keyset, keyId, dataset, field, false);
    }

    /** A keyed rule, optionally strict. */
    public static Masker keyed(String ruleJson, Keyset keyset, int keyId, String dataset, String field,
            boolean strict) {
        return keyset.with(k -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_masker_new_keyed(cstr(ruleJson), k, keyId, cstr(dataset), cstr(field), flag(strict),
                    out, err), err);
            return new Masker(out.getValue());
        });
    }

    /** Masks one value. */
    public String apply(String value) {
        return apply(value, null);
    }

    /** Masks one value of {@code subject} (the subject id {@code date_shift} needs; null = none). */
    public String apply(String value, String subject) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        byte[] s = subject == null ? null : subject.getBytes(StandardCharsets.UTF_8);
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_masker_apply(p, v, new SizeT(v.length), s, new SizeT(s == null ? 0 : s.length),
                    buf, new ByteByReference(), err), err);
            return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
        });
    }

    /** Masks a column in one native call; values that do not parse are masked completely (or throw if strict). */
    public ColumnResult applyColumn(String[] values) {
        return applyColumn(values, null, null);
    }

    /** Masks a column, value {@code i} belonging to {@code subjects[i]} (for {@code date_shift}). */
    public ColumnResult applyColumn(String[] values, String[] subjects) {
        return applyColumn(values, subjects, null);
    }

    /**
     * Masks a column ({@code subjects} may be null), values that do not parse handled as {@code onInvalid}
     * says ({@code null}: the masker's own handling).
     */
    public ColumnResult applyColumn(String[] values, String[] subjects, OnInvalid onInvalid) {
        if (subjects != null && subjects.length != values.length) {
            throw new IllegalArgumentException(values.length + " values but " + subjects.length + " subjects");
        }
        FieldCipher.Packed v = new FieldCipher.Packed(FieldCipher.bytes(values));
        FieldCipher.Packed s = subjects == null ? null : new FieldCipher.Packed(FieldCipher.bytes(subjects));
        int choice = OnInvalid.idOf(onInvalid);
        try {
            return with(p -> {
                NativeLib.Column col = new NativeLib.Column();
                PointerByReference err = new PointerByReference();
                check(LIB.privshare_masker_apply_column(p, v.data, v.offsets, new SizeT(values.length),
                        s == null ? null : s.data, s == null ? null : s.offsets, choice, col, err), err);
                try {
                    return ColumnResult.read(col, onInvalid == OnInvalid.NULL);
                } finally {
                    LIB.privshare_column_free(col);
                }
            });
        } finally {
            v.clear();
            if (s != null) {
                s.clear();
            }
        }
    }

    static byte flag(boolean b) {
        return (byte) (b ? 1 : 0);
    }
}
