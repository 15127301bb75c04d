package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** Which participant owns which signing keys, and when each is valid. Thread-safe. */
public final class TrustRegistry extends Handle {
    private TrustRegistry(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_trust_registry_free(p);
    }

    /** An empty registry. */
    public static TrustRegistry create() {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_trust_registry_new(out, err), err);
        return new TrustRegistry(out.getValue());
    }

    /** Loads a registry from its JSON form. */
    public static TrustRegistry fromJson(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_trust_registry_load_json(b, new SizeT(b.length), out, err), err);
        return new TrustRegistry(out.getValue());
    }

    /**
     * Registers a signing public key (PEM or DER) for {@code participant}, valid from {@code notBefore} until
     * {@code notAfter} (Unix seconds, exclusive; 0 for no end).
     */
    public void add(String participant, byte[] publicKey, long notBefore, long notAfter) {
        with(p -> {
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_trust_registry_add(p, cstr(participant), publicKey, new SizeT(publicKey.length),
                    notBefore, notAfter, err), err);
            return null;
        });
    }

    /** The registry as JSON. */
    public String toJson() {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_trust_registry_to_json(p, buf, err), err);
            return new String(FieldCipher.take(buf), StandardCharsets.UTF_8);
        });
    }

    /** Verifies a signature by key {@code keyId} (32 bytes) of {@code participant}, valid at {@code at}. */
    public void verify(String participant, byte[] keyId, long at, byte[] message, byte[] signature) {
        if (keyId.length != 32) {
            throw new IllegalArgumentException("a key id is 32 bytes");
        }
        with(p -> {
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_trust_registry_verify(p, cstr(participant), keyId, at, message,
                    new SizeT(message.length), signature, new SizeT(signature.length), err), err);
            return null;
        });
    }
}
