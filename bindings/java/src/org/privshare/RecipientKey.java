package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** A recipient's private key (HPKE X25519 or P-256, or SM2) held natively. */
public final class RecipientKey extends Handle {
    /** HPKE with X25519 ({@code aes} suite). */
    public static final int X25519 = 1;
    /** HPKE with P-256 ({@code aes} suite). */
    public static final int P256 = 2;
    /** SM2 encryption ({@code sm} suite). */
    public static final int SM2 = 3;

    private RecipientKey(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_recipient_key_free(p);
    }

    /** A new key of {@code algorithm} ({@link #X25519}, {@link #P256} or {@link #SM2}). */
    public static RecipientKey generate(int algorithm) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_recipient_key_generate(algorithm, out, err), err);
        return new RecipientKey(out.getValue());
    }

    /** Loads a PKCS#8 private key, PEM or DER. */
    public static RecipientKey load(byte[] data) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_recipient_key_load(data, new SizeT(data.length), out, err), err);
        return new RecipientKey(out.getValue());
    }

    /** The private key as PKCS#8 PEM. Secret. */
    public byte[] privatePem() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_recipient_key_private_pem(p, buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** The public key as SubjectPublicKeyInfo PEM (what senders seal to). */
    public String publicPem() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_recipient_key_public_pem(p, buf, err), err);
            return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
        });
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER (32 bytes). */
    public byte[] keyId() {
        return with(p -> {
            byte[] id = new byte[32];
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_recipient_key_id(p, id, err), err);
            return id;
        });
    }
}
