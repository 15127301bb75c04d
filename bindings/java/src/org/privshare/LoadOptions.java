package org.privshare;

/**
 * What a loader demands of a stored keyset beyond authenticity: a minimum generation (rollback detection) and
 * caps on the Argon2id costs a passphrase-protected file may ask for. A field left at 0 takes the default: no
 * minimum; caps of 262144 KiB (256 MiB) of memory, 8 passes, 8 lanes.
 *
 * <pre>{@code
 * Keyset ks = Keyset.loadJson(json, kek, new LoadOptions().minGeneration(lastSavedGeneration));
 * }</pre>
 */
public final class LoadOptions {
    private long minGeneration;
    private int maxMemoryKib;
    private int maxPasses;
    private int maxLanes;

    /** Refuse a keyset whose generation is lower ({@link Status#KEYSET_ROLLED_BACK}). */
    public LoadOptions minGeneration(long generation) {
        this.minGeneration = generation;
        return this;
    }

    /** The largest Argon2id costs a passphrase-protected keyset may ask for (0 keeps a default cap). */
    public LoadOptions argon2Caps(int maxMemoryKib, int maxPasses, int maxLanes) {
        this.maxMemoryKib = maxMemoryKib;
        this.maxPasses = maxPasses;
        this.maxLanes = maxLanes;
        return this;
    }

    NativeLib.KeysetLoadOptions toNative() {
        NativeLib.KeysetLoadOptions o = new NativeLib.KeysetLoadOptions();
        o.min_generation = minGeneration;
        o.argon2_max_m_cost_kib = maxMemoryKib;
        o.argon2_max_t_cost = maxPasses;
        o.argon2_max_p_cost = maxLanes;
        return o;
    }
}
