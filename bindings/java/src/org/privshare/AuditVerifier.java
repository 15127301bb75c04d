package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * Verifies audit logs with the log's public keys (DER SubjectPublicKeyInfo) and tree heads obtained
 * outside the log file. Safe to share between threads once built; close it when done.
 */
public final class AuditVerifier extends Handle {
    /** What a valid log holds. */
    public static final class Report {
        public final long records;
        public final long batches;
        public final long treeHeads;
        public final long signedRecords;
        /** Records no signed head covers yet: whoever can write the file could have changed them. */
        public final long unsignedRecords;
        public final byte[] root;
        public final byte[] logId;
        public final Suite suite;

        Report(NativeLib.AuditReport r) {
            records = r.records;
            batches = r.batches;
            treeHeads = r.tree_heads;
            signedRecords = r.signed_records;
            unsignedRecords = r.unsigned_records;
            root = r.root.clone();
            logId = r.log_id.clone();
            suite = Suite.fromId(r.suite);
        }
    }

    private AuditVerifier(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_audit_verifier_free(p);
    }

    /** A verifier accepting heads signed by any of {@code keys}, trusting {@code trustedHeads}. */
    public static AuditVerifier create(byte[][] keys, byte[][] trustedHeads) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_verifier_new(out, err), err);
        AuditVerifier v = new AuditVerifier(out.getValue());
        try {
            v.withExclusive(p -> {
                for (byte[] k : keys) {
                    PointerByReference e = new PointerByReference();
                    check(LIB.privshare_audit_verifier_add_key(p, k, new SizeT(k.length), e), e);
                }
                for (byte[] h : trustedHeads) {
                    PointerByReference e = new PointerByReference();
                    check(LIB.privshare_audit_verifier_trust(p, h, new SizeT(h.length), e), e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
        return v;
    }

    /** Verifies the log file at {@code path}; throws the failure (see docs/formats/audit-log.md, section 8). */
    public Report verifyFile(String path) {
        return with(p -> {
            NativeLib.AuditReport r = new NativeLib.AuditReport();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_verifier_verify_file(p, cstr(path), r, err), err);
            r.read();
            return new Report(r);
        });
    }

    /** Verifies a signed tree head's signature. */
    public void verifyTreeHead(byte[] head) {
        with(p -> {
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_verifier_verify_tree_head(p, head, new SizeT(head.length), err), err);
            return null;
        });
    }

    /**
     * Checks that two signed heads of one log can both be true ({@code proof} may be empty for equal sizes);
     * throws {@link Status#AUDIT_LOG_FORKED} if not.
     */
    public void checkConsistency(byte[] oldHead, byte[] newHead, byte[] proof) {
        with(p -> {
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_verifier_check_consistency(p, oldHead, new SizeT(oldHead.length), newHead,
                    new SizeT(newHead.length), proof, new SizeT(proof.length), err), err);
            return null;
        });
    }
}
