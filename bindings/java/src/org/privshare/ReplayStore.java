package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** Remembers opened envelopes, in memory or in a file that survives restarts (one process per file). */
public final class ReplayStore extends Handle {
    private ReplayStore(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_replay_store_free(p);
    }

    /** A store in memory only. */
    public static ReplayStore inMemory() {
        return open(null);
    }

    /** Opens or creates the store file at {@code path} ({@code null}: in memory). */
    public static ReplayStore open(String path) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_replay_store_open(cstr(path), out, err), err);
        return new ReplayStore(out.getValue());
    }
}
