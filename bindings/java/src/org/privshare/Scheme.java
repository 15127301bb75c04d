package org.privshare;

/** The encryption scheme of a {@link FieldCipher}. */
public enum Scheme {
    RANDOMIZED(1),
    DETERMINISTIC(2),
    FF1(3),
    RESIDENT_ID(4),
    MOBILE(5),
    BANK_CARD(6),
    TOKEN(7);

    final int id;

    Scheme(int id) {
        this.id = id;
    }

    static Scheme fromId(int id) {
        for (Scheme s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalStateException("unknown scheme id " + id);
    }
}
