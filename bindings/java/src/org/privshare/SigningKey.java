package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** A private signing key (Ed25519, ECDSA P-256 or SM2) held natively; its algorithm is fixed by the key. */
public final class SigningKey extends Handle {
    /** Ed25519 ({@code aes} suite). */
    public static final int ED25519 = 1;
    /** ECDSA P-256 with SHA-256 ({@code aes} suite). */
    public static final int ECDSA_P256 = 2;
    /** SM2 with SM3 ({@code sm} suite). */
    public static final int SM2 = 3;

    private SigningKey(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_signing_key_free(p);
    }

    /** A new key of {@code algorithm} ({@link #ED25519}, {@link #ECDSA_P256} or {@link #SM2}). */
    public static SigningKey generate(int algorithm) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_signing_key_generate(algorithm, out, err), err);
        return new SigningKey(out.getValue());
    }

    /** Loads a PKCS#8 private key, PEM or DER (e.g. from {@code openssl genpkey}). */
    public static SigningKey load(byte[] data) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_signing_key_load(data, new SizeT(data.length), out, err), err);
        return new SigningKey(out.getValue());
    }

    /** The private key as PKCS#8 PEM. Secret. */
    public byte[] privatePem() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_signing_key_private_pem(p, buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** The public key as SubjectPublicKeyInfo PEM. */
    public String publicPem() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_signing_key_public_pem(p, buf, err), err);
            return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
        });
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER (32 bytes). */
    public byte[] keyId() {
        return with(p -> {
            byte[] id = new byte[32];
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_signing_key_id(p, id, err), err);
            return id;
        });
    }

    /** Signs {@code message} (64 bytes). */
    public byte[] sign(byte[] message) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_signing_key_sign(p, message, new SizeT(message.length), buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** Verifies a signature with a public key (PEM or DER) and its algorithm; throws on failure. */
    public static void verify(byte[] publicKey, byte[] message, byte[] signature) {
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_verify_signature(publicKey, new SizeT(publicKey.length), message,
                new SizeT(message.length), signature, new SizeT(signature.length), err), err);
    }
}
