package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * The header fields and recipients of envelopes from one sender; {@link #seal} encrypts for the recipients
 * and signs. Setters need exclusive use; sealing may run from many threads.
 *
 * <pre>{@code
 * try (Sealer s = Sealer.create("CN/GOV/111/tax")) {
 *     s.addRecipient("CN/GOV/222/stats", recipientPublicPem).text("purpose", "statistics");
 *     byte[] envelope = s.seal(signingKey, payload);
 * }
 * }</pre>
 */
public final class Sealer extends Handle {
    /** No padding. */
    public static final int PADDING_NONE = 0;
    /** Pad to a multiple of a number of bytes. */
    public static final int PADDING_MULTIPLE = 1;
    /** Pad to the next power of two (at least 1 KiB). */
    public static final int PADDING_POWER_OF_TWO = 2;

    private Sealer(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_sealer_free(p);
    }

    /** A sealer for envelopes from {@code sender} ({@code INSTANCE/CLASS/MEMBER/SUBSYSTEM}). */
    public static Sealer create(String sender) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_sealer_new(cstr(sender), out, err), err);
        return new Sealer(out.getValue());
    }

    /** Adds a recipient: participant id and public key (SubjectPublicKeyInfo PEM). */
    public Sealer addRecipient(String participant, String publicKeyPem) {
        byte[] key = publicKeyPem.getBytes(StandardCharsets.UTF_8);
        PointerByReference err = new PointerByReference();
        withExclusive(p -> {
            check(LIB.privshare_sealer_add_recipient(p, cstr(participant), key, new SizeT(key.length), err), err);
            return null;
        });
        return this;
    }

    /** Sets {@code "purpose"}, {@code "legal_basis"} or {@code "content_type"}. */
    public Sealer text(String field, String value) {
        PointerByReference err = new PointerByReference();
        withExclusive(p -> {
            check(LIB.privshare_sealer_set_text(p, cstr(field), cstr(value), err), err);
            return null;
        });
        return this;
    }

    /** Sets the sharing policy (id, version, hash) and the schema hash. */
    public Sealer policy(String id, int version, byte[] hash, byte[] schemaHash) {
        PointerByReference err = new PointerByReference();
        withExclusive(p -> {
            check(LIB.privshare_sealer_set_policy(p, cstr(id), version, hash, new SizeT(hash.length), schemaHash,
                    new SizeT(schemaHash.length), err), err);
            return null;
        });
        return this;
    }

    /** Records the keyset key version used for {@code column}. */
    public Sealer columnKeyVersion(String column, int keyVersion) {
        PointerByReference err = new PointerByReference();
        withExclusive(p -> {
            check(LIB.privshare_sealer_add_column_key_version(p, cstr(column), keyVersion, err), err);
            return null;
        });
        return this;
    }

    /**
     * Sets the creation time and lifetime (Unix seconds; 0 = now / 7 days), the padding ({@code PADDING_*},
     * {@code multiple} for {@link #PADDING_MULTIPLE}) and the chunk size (0 = 64 KiB).
     */
    public Sealer options(long createdAt, long lifetime, int padding, long multiple, int chunkSize) {
        PointerByReference err = new PointerByReference();
        withExclusive(p -> {
            check(LIB.privshare_sealer_set_options(p, createdAt, lifetime, padding, multiple, chunkSize, err), err);
            return null;
        });
        return this;
    }

    /** Seals {@code payload}, signed by {@code signer}. */
    public byte[] seal(SigningKey signer, byte[] payload) {
        return with(p -> signer.with(k -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_sealer_seal(p, k, payload, new SizeT(payload.length), buf, err), err);
            return FieldCipher.take(buf);
        }));
    }

    /** Seals the file {@code input} into {@code output} (written atomically: no output on error). */
    public void sealFile(SigningKey signer, String input, String output) {
        with(p -> signer.with(k -> {
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_sealer_seal_file(p, k, cstr(input), cstr(output), err), err);
            return null;
        }));
    }
}
