package org.privshare;

import java.nio.charset.StandardCharsets;

/** Library-wide information. */
public final class Privshare {
    private Privshare() {}

    /** The native library's version, e.g. "0.1.0". */
    public static String version() {
        return Handle.LIB.privshare_version().getString(0, StandardCharsets.UTF_8.name());
    }
}
