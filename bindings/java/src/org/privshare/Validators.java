package org.privshare;

import com.sun.jna.Memory;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * Validators of personal-data identifiers with their check algorithms. Types: {@code resident_id},
 * {@code uscc}, {@code bank_card}, {@code mobile}, {@code landline}, {@code email}, {@code ip_address},
 * {@code plate}, {@code passport}, {@code name}, {@code address}, {@code date}.
 */
public final class Validators {
    private Validators() {}

    /** Whether {@code value} is a valid identifier of {@code type}; an unknown type throws. */
    public static boolean isValid(String type, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteByReference valid = new ByteByReference();
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_validate(Handle.cstr(type), v, new SizeT(v.length), valid, err), err);
        return valid.getValue() != 0;
    }

    /** {@link #isValid} over a whole column, in one native call. */
    public static boolean[] isValid(String type, String[] values) {
        FieldCipher.Packed v = new FieldCipher.Packed(FieldCipher.bytes(values));
        Memory flags = values.length == 0 ? null : new Memory(values.length);
        PointerByReference err = new PointerByReference();
        Handle.check(Handle.LIB.privshare_validate_column(Handle.cstr(type), v.data, v.offsets,
                new SizeT(values.length), flags, err), err);
        boolean[] out = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = flags.getByte(i) != 0;
        }
        return out;
    }
}
