package org.privshare;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The output of a column call: one value per input value ({@code null} for each invalid value under
 * {@link OnInvalid#NULL}) and the rows whose input could not be transformed, ascending.
 */
public final class ColumnResult {
    private final byte[][] values;
    private final long[] invalidRows;

    ColumnResult(byte[][] values, long[] invalidRows) {
        this.values = values;
        this.invalidRows = invalidRows;
    }

    /** The values as bytes ({@code null} where a null was asked for). */
    public byte[][] bytes() {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null ? null : values[i].clone();
        }
        return out;
    }

    /** The values as UTF-8 text ({@code null} where a null was asked for). */
    public String[] values() {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null ? null : new String(values[i], StandardCharsets.UTF_8);
        }
        return out;
    }

    /** The rows (value indexes) that could not be transformed, ascending. */
    public long[] invalidRows() {
        return invalidRows.clone();
    }

    /** The number of values that could not be transformed. */
    public long invalid() {
        return invalidRows.length;
    }

    /** Reads a native column (the caller frees it); with {@code nulls}, invalid rows become {@code null}. */
    static ColumnResult read(NativeLib.Column col, boolean nulls) {
        int count = (int) col.count.longValue();
        int nInvalid = (int) col.invalid_count.longValue();
        long[] invalid = new long[nInvalid];
        for (int k = 0; k < nInvalid; k++) {
            invalid[k] = FieldCipher.readSize(col.invalid_rows, k);
        }
        byte[][] out = new byte[count][];
        long start = FieldCipher.readSize(col.offsets, 0);
        for (int i = 0; i < count; i++) {
            long end = FieldCipher.readSize(col.offsets, i + 1);
            out[i] = col.data == null ? new byte[0] : col.data.getByteArray(start, (int) (end - start));
            start = end;
        }
        if (nulls) {
            for (long row : invalid) {
                out[(int) row] = null;
            }
        }
        return new ColumnResult(out, invalid);
    }

    @Override
    public String toString() {
        return "ColumnResult(" + values.length + " values, invalid rows " + Arrays.toString(invalidRows) + ")";
    }
}
