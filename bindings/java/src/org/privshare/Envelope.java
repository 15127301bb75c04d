package org.privshare;

import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * Opening envelopes. Each failed check throws {@link PrivshareException} with its own code:
 * {@link Status#MALFORMED_ENVELOPE}, {@link Status#UNKNOWN_SENDER}, {@link Status#BAD_SIGNATURE},
 * {@link Status#NOT_YET_VALID}, {@link Status#EXPIRED}, {@link Status#NOT_RECIPIENT}, {@link Status#REPLAY},
 * {@link Status#CORRUPTED_PAYLOAD}.
 */
public final class Envelope {
    /** The payload and the authenticated header (JSON, byte strings in hex). */
    public static final class Opened {
        /** The payload. */
        public final byte[] payload;
        /** The header as JSON. */
        public final String headerJson;

        Opened(byte[] payload, String headerJson) {
            this.payload = payload;
            this.headerJson = headerJson;
        }
    }

    private Envelope() {}

    /**
     * Opens {@code envelope} addressed to {@code recipient} holding {@code key}; {@code now} in Unix seconds (0:
     * the system clock), {@code clockSkew} in seconds (300 is usual).
     */
    public static Opened open(TrustRegistry registry, String recipient, RecipientKey key, ReplayStore store,
            long now, long clockSkew, byte[] envelope) {
        return registry.with(r -> key.with(k -> store.with(s -> {
            NativeLib.Buffer payload = new NativeLib.Buffer();
            NativeLib.Buffer header = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            Handle.check(Handle.LIB.privshare_envelope_open(r, Handle.cstr(recipient), k, s, now, clockSkew,
                    envelope, new SizeT(envelope.length), payload, header, err), err);
            String json = new String(FieldCipher.take(header), StandardCharsets.UTF_8);
            return new Opened(FieldCipher.take(payload), json);
        })));
    }

    /** Opens the envelope file {@code input} into {@code output} (which appears only if every check passed). */
    public static String openFile(TrustRegistry registry, String recipient, RecipientKey key, ReplayStore store,
            long now, long clockSkew, String input, String output) {
        return registry.with(r -> key.with(k -> store.with(s -> {
            NativeLib.Buffer header = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            Handle.check(Handle.LIB.privshare_envelope_open_file(r, Handle.cstr(recipient), k, s, now, clockSkew,
                    Handle.cstr(input), Handle.cstr(output), header, err), err);
            return new String(FieldCipher.take(header), StandardCharsets.UTF_8);
        })));
    }
}
