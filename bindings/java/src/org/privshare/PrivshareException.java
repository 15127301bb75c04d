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
    private final Long line;
    private final String column;
    private final String details;

    PrivshareException(int code, String errorMessage, String description, Long row, Long offset, String column) {
        this(code, errorMessage, description, row, offset, null, column, null);
    }

    PrivshareException(
            int code,
            String errorMessage,
            String description,
            Long row,
            Long offset,
            Long line,
            String column,
            String details) {
        super(description);
        this.code = code;
        this.errorMessage = errorMessage;
        this.row = row;
        this.offset = offset;
        this.line = line;
        this.column = column;
        this.details = details;
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

    /**
     * One-based line of the file or document the failure is in, if known: a CSV table's line (the header is
     * line 1), a hierarchy's line, a JSON spec's line.
     */
    public OptionalLong getLine() {
        return line == null ? OptionalLong.empty() : OptionalLong.of(line);
    }

    /** Column or field name, if known. */
    public Optional<String> getColumn() {
        return Optional.ofNullable(column);
    }

    /**
     * Machine-readable details as JSON, or {@code null} when the error has none (every error but the one
     * below). With {@link Status#ANONYMIZATION_INFEASIBLE} (600) from the optimal search it is the full
     * report of the best transformation possible (the one that needs the least suppression), the same JSON
     * shape as {@link Anonymizer.Result#reportJson()}: {@code models} with {@code "holds": false},
     * {@code quality.suppressed}, the level of each attribute, risks. Never contains data values.
     */
    public String getDetails() {
        return details;
    }
}
