package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * A set of key versions with one primary, held natively. Safe to share between threads; close it when
 * done (ciphers made from it stay usable).
 *
 * <pre>{@code
 * try (Keyset ks = Keyset.generate(Suite.AES);
 *      FieldCipher c = FieldCipher.randomized(ks, "tax-2026", "id_number", Encoding.TEXT)) {
 *     String ct = c.encryptString("11010519491231002X");
 *     String pt = c.decryptString(ct);
 * }
 * }</pre>
 */
public final class Keyset extends Handle {
    private Keyset(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_keyset_free(p);
    }

    /** A new keyset with one fresh primary version of {@code suite}. */
    public static Keyset generate(Suite suite) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_keyset_generate(suite.id, out, err), err);
        return new Keyset(out.getValue());
    }

    /** Loads a stored keyset (JSON) wrapped by a raw key-encryption key (32 bytes AES-256-GCM, 16 SM4-GCM). */
    public static Keyset loadJson(byte[] json, byte[] kek) {
        return loadJson(json, kek, new LoadOptions());
    }

    /**
     * Loads a stored keyset (JSON) wrapped by a raw key-encryption key, refusing one older than
     * {@code options.minGeneration} ({@link Status#KEYSET_ROLLED_BACK}).
     */
    public static Keyset loadJson(byte[] json, byte[] kek, LoadOptions options) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_keyset_load_json_kek(json, new SizeT(json.length), kek, new SizeT(kek.length),
                options.toNative(), out, err), err);
        return new Keyset(out.getValue());
    }

    /** Loads a stored keyset (JSON) wrapped under a passphrase, with the default Argon2id caps. */
    public static Keyset loadJson(byte[] json, String passphrase) {
        return loadJson(json, passphrase, new LoadOptions());
    }

    /**
     * Loads a stored keyset (JSON) wrapped under a passphrase with {@code options}: a minimum generation
     * ({@link Status#KEYSET_ROLLED_BACK}) and Argon2id caps (costs above them: {@link Status#MALFORMED_KEYSET},
     * before Argon2id runs).
     */
    public static Keyset loadJson(byte[] json, String passphrase, LoadOptions options) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_keyset_load_json_passphrase(json, new SizeT(json.length), cstr(passphrase),
                options.toNative(), out, err), err);
        return new Keyset(out.getValue());
    }

    /**
     * INSECURE: loads a keyset whose root keys are stored in plain hex (test vectors, migrations only).
     */
    public static Keyset loadInsecurePlaintextJson(byte[] json) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_keyset_load_insecure_plaintext_json(json, new SizeT(json.length), out, err), err);
        return new Keyset(out.getValue());
    }

    /** INSECURE: the keyset with its root keys in plain hex. Anyone who reads it can decrypt everything. */
    public byte[] saveInsecurePlaintextJson() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_keyset_save_insecure_plaintext_json(p, buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** Stores the keyset as JSON, every key wrapped by the raw 32-byte key-encryption key {@code kek}. */
    public byte[] saveJson(byte[] kek) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_keyset_save_json_kek(p, kek, new SizeT(kek.length), buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** Stores the keyset as JSON, every key wrapped under {@code passphrase} (Argon2id). */
    public byte[] saveJson(String passphrase) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_keyset_save_json_passphrase(p, cstr(passphrase), buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** Adds a new primary version of {@code suite}; returns its id. Older versions keep decrypting. */
    public int rotate(Suite suite) {
        return withExclusive(p -> {
            IntByReference id = new IntByReference();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_keyset_rotate(p, suite.id, id, err), err);
            return id.getValue();
        });
    }

    private interface Change {
        int apply(Pointer ks, int id, PointerByReference err);
    }

    private void change(Change c, int id) {
        withExclusive(p -> {
            PointerByReference err = new PointerByReference();
            check(c.apply(p, id, err), err);
            return null;
        });
    }

    /** Makes the enabled version {@code id} the primary. */
    public void setPrimary(int id) {
        change(LIB::privshare_keyset_set_primary, id);
    }

    /** Disables version {@code id} (not the primary) until {@link #enable}d. */
    public void disable(int id) {
        change(LIB::privshare_keyset_disable, id);
    }

    /** Enables a disabled version again. */
    public void enable(int id) {
        change(LIB::privshare_keyset_enable, id);
    }

    /** Erases the key material of version {@code id} (not the primary) for good. */
    public void destroy(int id) {
        change(LIB::privshare_keyset_destroy, id);
    }

    /** The primary version's id (an unsigned 32-bit value, never 0). */
    public int primaryId() {
        return with(p -> LIB.privshare_keyset_primary_id(p));
    }

    /** The primary version's suite. */
    public Suite primarySuite() {
        return with(p -> Suite.fromId(LIB.privshare_keyset_primary_suite(p)));
    }

    /**
     * The keyset's generation: 1 when generated, raised by one by every change (rotate, setPrimary, disable,
     * enable, destroy); 0 if loaded from a file written before generations existed. Record it after every save
     * where the keyset file's writer cannot roll it back, and demand it when loading
     * ({@link LoadOptions#minGeneration}).
     */
    public long generation() {
        return with(p -> LIB.privshare_keyset_generation(p));
    }

    /** Number of key versions. */
    public long versionCount() {
        return with(p -> LIB.privshare_keyset_version_count(p).longValue());
    }
}
