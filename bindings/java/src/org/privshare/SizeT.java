package org.privshare;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C's {@code size_t} (public only because JNA instantiates it reflectively). */
public final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
