package org.privshare;

/** Status codes of the C ABI (the core's stable error codes, plus 1000+ for the C layer). */
public final class Status {
    private Status() {}

    public static final int OK = 0;
    public static final int INVALID_ARGUMENT = 100;
    public static final int INVALID_INPUT = 101;
    public static final int EMPTY_VALUE = 102;
    public static final int NOT_UTF8 = 103;
    public static final int OUTSIDE_ALPHABET = 104;
    public static final int INVALID_IDENTIFIER = 105;
    public static final int DOMAIN_TOO_SMALL = 106;
    public static final int VALUE_TOO_LONG = 107;
    public static final int AUTHENTICATION_FAILED = 200;
    public static final int MALFORMED_CIPHERTEXT = 201;
    public static final int UNSUPPORTED_VERSION = 202;
    public static final int UNSUPPORTED_ALGORITHM = 203;
    public static final int UNKNOWN_KEY = 300;
    public static final int KEY_DISABLED = 301;
    public static final int KEY_DESTROYED = 302;
    public static final int KEY_UNWRAP_FAILED = 303;
    public static final int MALFORMED_KEYSET = 304;
    public static final int KEYSET_STATE = 305;
    public static final int KEYSET_ROLLED_BACK = 306;
    public static final int POLICY = 400;
    public static final int IO = 401;
    public static final int REPLAY = 500;
    public static final int EXPIRED = 501;
    public static final int NOT_RECIPIENT = 502;
    public static final int UNKNOWN_SENDER = 503;
    public static final int MALFORMED_ENVELOPE = 504;
    public static final int BAD_SIGNATURE = 505;
    public static final int NOT_YET_VALID = 506;
    public static final int CORRUPTED_PAYLOAD = 507;
    public static final int ANONYMIZATION_INFEASIBLE = 600;
    public static final int MALFORMED_AUDIT_LOG = 700;
    public static final int AUDIT_LOG_TORN_TAIL = 701;
    public static final int AUDIT_LOG_MISMATCH = 702;
    public static final int AUDIT_LOG_TRUNCATED = 703;
    public static final int AUDIT_LOG_FORKED = 704;
    public static final int INTERNAL = 900;
    public static final int NULL_ARGUMENT = 1000;
    public static final int BUFFER_TOO_SMALL = 1001;
    public static final int PANIC = 1002;
}
