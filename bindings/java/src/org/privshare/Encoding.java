package org.privshare;

/** How ciphertexts and tokens are represented. */
public enum Encoding {
    /** {@code ps1:} plus base64url: fits in CSV and JSON cells. */
    TEXT(0),
    /** Raw bytes. */
    BINARY(1);

    final int id;

    Encoding(int id) {
        this.id = id;
    }
}
