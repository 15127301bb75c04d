package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** A key that signs audit log tree heads (Ed25519, ECDSA P-256 or SM2, fixed by the key). Close it when done. */
public final class AuditSigner extends Handle {
    private AuditSigner(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_audit_signer_free(p);
    }

    /** A new random Ed25519 key as DER PKCS#8 (a secret: store it protected). */
    public static byte[] generatePkcs8() {
        PointerByReference out = new PointerByReference();
        NativeLib.Buffer pkcs8 = new NativeLib.Buffer();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_signer_generate(out, pkcs8, err), err);
        LIB.privshare_audit_signer_free(out.getValue());
        return FieldCipher.take(pkcs8);
    }

    /**
     * The key as PKCS#8, PEM or DER: Ed25519, ECDSA P-256 or SM2 (from {@code openssl genpkey}, or
     * {@link SigningKey#privatePem()}: one identity may sign envelopes and tree heads).
     */
    public static AuditSigner load(byte[] pkcs8) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_signer_load_pkcs8(pkcs8, new SizeT(pkcs8.length), out, err), err);
        return new AuditSigner(out.getValue());
    }

    /** The public key as DER SubjectPublicKeyInfo (what {@link AuditVerifier} takes). */
    public byte[] publicKey() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_signer_public_key(p, buf, err), err);
            return FieldCipher.take(buf);
        });
    }
}
