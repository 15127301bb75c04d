package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A native handle shared safely between threads: calls hold a read lock, {@link #close()} takes the write
 * lock, so closing while another thread is inside a call waits for it, and calls after closing throw
 * {@link IllegalStateException} instead of touching freed memory.
 */
abstract class Handle implements AutoCloseable {
    static final NativeLib LIB = NativeLib.INSTANCE;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Pointer ptr;

    Handle(Pointer ptr) {
        this.ptr = ptr;
    }

    /** Runs {@code f} with the live pointer. */
    final <T> T with(Function<Pointer, T> f) {
        lock.readLock().lock();
        try {
            if (ptr == null) {
                throw new IllegalStateException(getClass().getSimpleName() + " is closed");
            }
            return f.apply(ptr);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code f} with the live pointer and exclusive access (for mutating calls). */
    final <T> T withExclusive(Function<Pointer, T> f) {
        lock.writeLock().lock();
        try {
            if (ptr == null) {
                throw new IllegalStateException(getClass().getSimpleName() + " is closed");
            }
            return f.apply(ptr);
        } finally {
            lock.writeLock().unlock();
        }
    }

    abstract void free(Pointer p);

    @Override
    public final void close() {
        lock.writeLock().lock();
        try {
            if (ptr != null) {
                free(ptr);
                ptr = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Throws the error behind a non-zero status (freeing the native error object). */
    static void check(int status, PointerByReference err) {
        if (status == Status.OK) {
            return;
        }
        Pointer e = err.getValue();
        if (e == null) {
            throw new PrivshareException(status, "status " + status, "status " + status, null, null, null);
        }
        try {
            LongByReference row = new LongByReference();
            LongByReference offset = new LongByReference();
            LongByReference line = new LongByReference();
            Long r = LIB.privshare_error_row(e, row) != 0 ? row.getValue() : null;
            Long o = LIB.privshare_error_offset(e, offset) != 0 ? offset.getValue() : null;
            Long l = LIB.privshare_error_line(e, line) != 0 ? line.getValue() : null;
            Pointer col = LIB.privshare_error_column(e);
            Pointer details = LIB.privshare_error_details(e);
            throw new PrivshareException(
                    LIB.privshare_error_code(e),
                    utf8(LIB.privshare_error_message(e)),
                    utf8(LIB.privshare_error_description(e)),
                    r,
                    o,
                    l,
                    col == null ? null : utf8(col),
                    details == null ? null : utf8(details));
        } finally {
            LIB.privshare_error_free(e);
        }
    }

    static String utf8(Pointer p) {
        return p == null ? "" : p.getString(0, StandardCharsets.UTF_8.name());
    }

    /** A Java string as a NUL-terminated UTF-8 C string. */
    static byte[] cstr(String s) {
        if (s == null) {
            return null;
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("strings passed to privshare must not contain NUL");
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }
}
