package org.privshare;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * A tamper-evident audit log file open for appending (docs/formats/audit-log.md): records of exchanges,
 * metadata and hashes only, in a Merkle tree; each batch is on disk before {@link #appendJson} returns.
 * Safe to share between threads (concurrent appends share syncs); close it when done.
 *
 * <pre>{@code
 * try (AuditLog log = AuditLog.create(path, Suite.AES);
 *      AuditSigner key = AuditSigner.load(pkcs8)) {
 *     long[] at = log.appendJson("[{\"time_ms\":1760000000000,\"event\":\"sent\", ...}]");
 *     byte[] head = log.signTreeHead(key);
 * }
 * }</pre>
 */
public final class AuditLog extends Handle {
    private AuditLog(Pointer p) {
        super(p);
    }

    @Override
    void free(Pointer p) {
        LIB.privshare_audit_log_free(p);
    }

    /** Creates a new, empty log at {@code path} hashing with {@code suite} (fails if the file exists). */
    public static AuditLog create(String path, Suite suite) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_log_create(cstr(path), suite.id, out, err), err);
        return new AuditLog(out.getValue());
    }

    /** Opens an existing log; a torn tail left by a crash throws {@link Status#AUDIT_LOG_TORN_TAIL}. */
    public static AuditLog open(String path) {
        PointerByReference out = new PointerByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_log_open(cstr(path), out, err), err);
        return new AuditLog(out.getValue());
    }

    /** Repairs a torn tail (moved to {@code <path>.torn-<offset>}); returns the bytes moved (0: intact). */
    public static long recover(String path) {
        LongByReference moved = new LongByReference();
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_log_recover(cstr(path), moved, err), err);
        return moved.getValue();
    }

    /**
     * Appends a batch given as a JSON array of records and returns {first index, tree size} once it is on
     * disk. A bad record throws {@link Status#INVALID_ARGUMENT} naming its row; nothing is written then.
     */
    public long[] appendJson(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return with(p -> {
            LongByReference first = new LongByReference();
            LongByReference size = new LongByReference();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_append_json(p, b, new SizeT(b.length), first, size, err), err);
            return new long[] {first.getValue(), size.getValue()};
        });
    }

    /** The number of records on disk. */
    public long size() {
        return with(p -> {
            LongByReference size = new LongByReference();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_size(p, size, err), err);
            return size.getValue();
        });
    }

    /** The root (32 bytes) of the first {@code treeSize} records. */
    public byte[] root(long treeSize) {
        return with(p -> {
            byte[] root = new byte[32];
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_root(p, treeSize, root, err), err);
            return root;
        });
    }

    /** Signs the head of everything on disk, appends it to the log and returns its bytes. */
    public byte[] signTreeHead(AuditSigner signer) {
        return with(p -> signer.with(s -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_sign_tree_head(p, s, buf, err), err);
            return FieldCipher.take(buf);
        }));
    }

    /** The inclusion proof of record {@code index} in the tree of {@code treeSize} records. */
    public byte[] inclusionProof(long index, long treeSize) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_inclusion_proof(p, index, treeSize, buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** The consistency proof between the trees of {@code oldSize} and {@code newSize} records. */
    public byte[] consistencyProof(long oldSize, long newSize) {
        return with(p -> {
            NativeLib.Buffer buf = new NativeLib.Buffer();
            PointerByReference err = new PointerByReference();
            check(LIB.privshare_audit_log_consistency_proof(p, oldSize, newSize, buf, err), err);
            return FieldCipher.take(buf);
        });
    }

    /** The leaf hash (32 bytes) of one record given as a JSON object: what an inclusion proof proves. */
    public static byte[] leafHash(Suite suite, String recordJson) {
        byte[] b = recordJson.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[32];
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_record_leaf_hash(suite.id, b, new SizeT(b.length), out, err), err);
        return out;
    }

    /** Checks an inclusion proof; throws {@link Status#AUTHENTICATION_FAILED} if it does not prove it. */
    public static void verifyInclusionProof(byte[] proof, byte[] leafHash, byte[] root) {
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_inclusion_proof_verify(proof, new SizeT(proof.length), hash(leafHash), hash(root),
                err), err);
    }

    /** Checks a consistency proof; throws {@link Status#AUTHENTICATION_FAILED} if it does not prove it. */
    public static void verifyConsistencyProof(byte[] proof, byte[] oldRoot, byte[] newRoot) {
        PointerByReference err = new PointerByReference();
        check(LIB.privshare_audit_consistency_proof_verify(proof, new SizeT(proof.length), hash(oldRoot),
                hash(newRoot), err), err);
    }

    static byte[] hash(byte[] h) {
        if (h == null || h.length != 32) {
            throw new IllegalArgumentException("a hash is 32 bytes");
        }
        return h;
    }
}
