package org.privshare;

/** Algorithm suites. */
public enum Suite {
    /** AES-256, HMAC-SHA-256, HKDF-SHA-256. */
    AES(1),
    /** SM4, HMAC-SM3, HKDF-SM3. */
    SM(2);

    final int id;

    Suite(int id) {
        this.id = id;
    }

    static Suite fromId(int id) {
        for (Suite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalStateException("unknown suite id " + id);
    }
}
