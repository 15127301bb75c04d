package org.privshare;

/**
 * What a column call does with a value it cannot transform (an invalid identifier, a ciphertext that does not
 * decrypt, a value a masking rule cannot parse). Column methods without this argument use the default: an
 * exception for ciphers; for maskers, the masker's own handling (masked completely, or an exception if
 * strict). Whatever the choice, {@link ColumnResult#invalidRows()} lists the rows concerned.
 */
public enum OnInvalid {
    /** Throw, naming the first invalid row. */
    ERROR(1),
    /** A {@code null} in place of each invalid value. */
    NULL(2),
    /** Each invalid value unchanged (plaintext in an encrypted column): to find bad data, not to release. */
    KEEP_MARKED(3);

    /** The C ABI's {@code PRIVSHARE_ON_INVALID_*} number (0 there is the default). */
    final int id;

    OnInvalid(int id) {
        this.id = id;
    }

    static int idOf(OnInvalid o) {
        return o == null ? 0 : o.id;
    }
}
