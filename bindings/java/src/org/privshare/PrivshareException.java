package org.privshare;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A failure reported by privshare. {@link #getCode()} is the C ABI status, equal to the core's stable
 * error code (e.g. {@link Status#AUTHENTICATION_FAILED}); the message never contains plaintext or keys.
 */
public class PrivshareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String errorMessage;
    private final Long row;
    private final Long offset;
    private final String column;

    PrivshareException(int code, String errorMessage, String description, Long row, Long offset, String column) {
        super(description);
        this.code = code;
        this.errorMessage = errorMessage;
        this.row = row;
        this.offset = offset;
        this.column = column;
    }

    /** The status code (see {@link Status}). */
    public int getCode() {
        return code;
    }

    /** The message without code or position. */
    public String getErrorMessage() {
        return errorMessage;
    }

    /** Zero-based row of the failing value in a column call, if known. */
    public OptionalLong getRow() {
        return row == null ? OptionalLong.empty() : OptionalLong.of(row);
    }

    /** Zero-based byte offset within the value or document, if known. */
    public OptionalLong getOffset() {
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Column or field name, if known. */
    public Optional<String> getColumn() {
        return Optional.ofNullable(column);
    }
}
