package org.privshare;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * A field cipher of one {@link Scheme}, made from a {@link Keyset} for one dataset field (or, for tokens,
 * one purpose). Immutable and thread-safe: make one per column and share it. Column methods cross into
 * native code once per column.
 */
public final class FieldCipher extends Handle {
    private FieldCipher(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_cipher_free(p);
    }

    private interface Maker {
        int make(Pointer keyset, PointerByReference out, PointerByReference err);
    }

    private static FieldCipher make(Keyset ks, Maker maker) {
        return ks.with(k -> {
            PointerByReference out = new PointerByReference();
            PointerByReference err = new PointerByReference();
            check(maker.make(k, out, err), err);
            return new FieldCipher(out.getValue());
        });
    }

    /** Randomized encryption (AES-256-GCM / SM4-GCM); the only scheme that binds record ids. */
    public static FieldCipher randomized(Keyset ks, String dataset, String field, Encoding encoding) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_randomized(k, cstr(dataset), cstr(field), encoding.id, o, e));
    }

    /** Deterministic encryption (AES-SIV / SM4-SIV): equal values, equal ciphertexts (for joins). */
    public static FieldCipher deterministic(Keyset ks, String dataset, String field, Encoding encoding) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_deterministic(k, cstr(dataset), cstr(field), encoding.id, o, e));
    }

    /**
     * Randomized encryption with new ciphertexts padded so that their length shows only a bucket of the value's
     * length: {@code padding} is {@code "none"}, {@code "padme"} or {@code "block:N"} (N from 2 to 4096; see
     * {@code docs/formats/field-ciphertext.md} for what each leaks). Ciphertexts of any padding decrypt.
     */
    public static FieldCipher randomized(Keyset ks, String dataset, String field, Encoding encoding, String padding) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_randomized_padded(k, cstr(dataset), cstr(field),
                encoding.id, cstr(padding), o, e));
    }

    /** Deterministic encryption with padding (see {@link #randomized(Keyset, String, String, Encoding, String)}). */
    public static FieldCipher deterministic(Keyset ks, String dataset, String field, Encoding encoding,
            String padding) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_deterministic_padded(k, cstr(dataset), cstr(field),
                encoding.id, cstr(padding), o, e));
    }

    /**
     * FF1 over {@code alphabet} (distinct characters) under key version {@code keyId}. There is no default
     * version: take {@link Keyset#primaryId()} and record it, because decryption needs the same version and
     * alphabet, and any other gives a wrong but valid value instead of an error.
     */
    public static FieldCipher ff1(Keyset ks, int keyId, String dataset, String field, String alphabet) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_ff1(k, keyId, cstr(dataset), cstr(field), cstr(alphabet), o, e));
    }

    /**
     * Resident identity numbers with birth dates kept in {@code [start, end]}, under version {@code keyId}. Both
     * are required and needed again to decrypt (another range gives a wrong but valid ID); end the range at the
     * latest real birth date, or encrypted IDs get future birth dates.
     */
    public static FieldCipher residentId(Keyset ks, int keyId, String dataset, String field, LocalDate start, LocalDate end) {
        NativeLib.DateRange r = new NativeLib.DateRange();
        r.start_year = (short) start.getYear();
        r.start_month = (byte) start.getMonthValue();
        r.start_day = (byte) start.getDayOfMonth();
        r.end_year = (short) end.getYear();
        r.end_month = (byte) end.getMonthValue();
        r.end_day = (byte) end.getDayOfMonth();
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_resident_id(k, keyId, cstr(dataset), cstr(field), r, o, e));
    }

    /** Mainland mobile numbers (carrier prefix kept) under version {@code keyId}. */
    public static FieldCipher mobile(Keyset ks, int keyId, String dataset, String field) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_mobile(k, keyId, cstr(dataset), cstr(field), o, e));
    }

    /** Bank card numbers (issuer prefix kept, Luhn recomputed) under version {@code keyId}. */
    public static FieldCipher bankCard(Keyset ks, int keyId, String dataset, String field) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_bank_card(k, keyId, cstr(dataset), cstr(field), o, e));
    }

    /** Linkage tokens for {@code purpose} under the primary version; one-way (decrypt throws). */
    public static FieldCipher token(Keyset ks, String purpose, Encoding encoding) {
        return token(ks, 0, purpose, encoding);
    }

    /** Linkage tokens under version {@code keyId} (0 = the primary). */
    public static FieldCipher token(Keyset ks, int keyId, String purpose, Encoding encoding) {
        return make(ks, (k, o, e) -> LIB.privshare_cipher_new_token(k, keyId, cstr(purpose), encoding.id, o, e));
    }

    /** The scheme. */
    public Scheme scheme() {
        return with(p -> Scheme.fromId(LIB.privshare_cipher_scheme(p)));
    }

    /** The key version outputs are made under. */
    public int keyId() {
        return with(p -> LIB.privshare_cipher_key_id(p));
    }

    /** Encrypts (or tokenizes) one value. */
    public byte[] encrypt(byte[] value) {
        return encrypt(null, value);
    }

    /** Encrypts one value bound to {@code record} (randomized scheme only; null = none). */
    public byte[] encrypt(byte[] record, byte[] value) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_cipher_encrypt(p, record, len(record), value, len(value), buf, err), err);
            return take(buf);
        });
    }

    /** Decrypts one value. */
    public byte[] decrypt(byte[] value) {
        return decrypt(null, value);
    }

    /** Decrypts one value bound to {@code record} (null = none). */
    public byte[] decrypt(byte[] record, byte[] value) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_cipher_decrypt(p, record, len(record), value, len(value), buf, err), err);
            return take(buf);
        });
    }

    /** Encrypts text (for TEXT encoding and the format-preserving schemes, whose outputs are text). */
    public String encryptString(String value) {
        return new String(encrypt(value.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Decrypts text produced by {@link #encryptString}. */
    public String decryptString(String value) {
        return new String(decrypt(value.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Whether the cipher binds values to record ids (the randomized scheme only). */
    public boolean bindsRecord() {
        return with(p -> LIB.privshare_cipher_binds_record(p) != 0);
    }

    /** Encrypts a column in one native call. */
    public byte[][] encryptColumn(byte[][] values) {
        return column(true, values, null, null).bytes();
    }

    /** Encrypts a column, value {@code i} bound to {@code records[i]} (randomized scheme only). */
    public byte[][] encryptColumn(byte[][] values, byte[][] records) {
        return column(true, values, records, null).bytes();
    }

    /** Decrypts a column in one native call. */
    public byte[][] decryptColumn(byte[][] values) {
        return column(false, values, null, null).bytes();
    }

    /** Decrypts a column bound to {@code records}. */
    public byte[][] decryptColumn(byte[][] values, byte[][] records) {
        return column(false, values, records, null).bytes();
    }

    /** Encrypts a column of text. */
    public String[] encryptColumn(String[] values) {
        return column(true, bytes(values), null, null).values();
    }

    /** Decrypts a column of text. */
    public String[] decryptColumn(String[] values) {
        return column(false, bytes(values), null, null).values();
    }

    /**
     * Encrypts a column ({@code records} may be null), values that cannot be encrypted handled as
     * {@code onInvalid} says; the result lists their rows.
     */
    public ColumnResult encryptColumn(byte[][] values, byte[][] records, OnInvalid onInvalid) {
        return column(true, values, records, onInvalid);
    }

    /** Decrypts a column ({@code records} may be null); ciphertexts that do not decrypt as {@code onInvalid} says. */
    public ColumnResult decryptColumn(byte[][] values, byte[][] records, OnInvalid onInvalid) {
        return column(false, values, records, onInvalid);
    }

    /** Encrypts a column of text, values that cannot be encrypted handled as {@code onInvalid} says. */
    public ColumnResult encryptColumn(String[] values, OnInvalid onInvalid) {
        return column(true, bytes(values), null, onInvalid);
    }

    /** Decrypts a column of text, values that do not decrypt handled as {@code onInvalid} says. */
    public ColumnResult decryptColumn(String[] values, OnInvalid onInvalid) {
        return column(false, bytes(values), null, onInvalid);
    }

    private ColumnResult column(boolean encrypt, byte[][] values, byte[][] records, OnInvalid onInvalid) {
        if (records != null && records.length != values.length) {
            throw new IllegalArgumentException(values.length + " values but " + records.length + " records");
        }
        Packed v = new Packed(values);
        Packed r = records == null ? null : new Packed(records);
        int choice = OnInvalid.idOf(onInvalid);
        try {
            return with(p -> {
                NativeLib.Column col = new NativeLib.Column();
                PointerByReference err = new PointerByReference();
                SizeT n = new SizeT(values.length);
                Pointer rd = r == null ? null : r.data;
                Pointer ro = r == null ? null : r.offsets;
                int status = encrypt
                        ? LIB.privshare_cipher_encrypt_column(p, v.data, v.offsets, n, rd, ro, choice, col, err)
                        : LIB.privshare_cipher_decrypt_column(p, v.data, v.offsets, n, rd, ro, choice, col, err);
                check(status, err);
                try {
                    return ColumnResult.read(col, onInvalid == OnInvalid.NULL);
                } finally {
                    LIB.privshare_column_free(col);
                }
            });
        } finally {
            v.clear();
            if (r != null) {
                r.clear();
            }
        }
    }

    /** Values packed in native memory: one buffer plus n+1 offsets. Cleared (zeroed) after use. */
    static final class Packed {
        final Memory data;
        final Memory offsets;

        Packed(byte[][] values) {
            long total = 0;
            for (byte[] v : values) {
                total += v.length;
            }
            data = total == 0 ? null : new Memory(total);
            offsets = new Memory((long) (values.length + 1) * Native.SIZE_T_SIZE);
            long at = 0;
            writeSize(offsets, 0, 0);
            for (int i = 0; i < values.length; i++) {
                if (values[i].length > 0) {
                    data.write(at, values[i], 0, values[i].length);
                }
                at += values[i].length;
                writeSize(offsets, i + 1, at);
            }
        }

        void clear() {
            if (data != null) {
                data.clear();
            }
        }
    }

    static void writeSize(Pointer p, long index, long value) {
        if (Native.SIZE_T_SIZE == 8) {
            p.setLong(index * 8, value);
        } else {
            p.setInt(index * 4, (int) value);
        }
    }

    static long readSize(Pointer p, long index) {
        return Native.SIZE_T_SIZE == 8 ? p.getLong(index * 8) : Integer.toUnsignedLong(p.getInt(index * 4));
    }

    private static SizeT len(byte[] b) {
        return new SizeT(b == null ? 0 : b.length);
    }

    /** Copies a library buffer into a Java array and frees (zeroizes) the native copy. */
    static byte[] take(NativeLib.Buffer buf) {
        try {
            int n = (int) buf.len.longValue();
            return n == 0 ? new byte[0] : buf.data.getByteArray(0, n);
        } finally {
            LIB.privshare_buffer_free(buf);
        }
    }

    static byte[][] bytes(String[] values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static String[] strings(byte[][] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = new String(values[i], StandardCharsets.UTF_8);
        }
        return out;
    }
}
