package org.privshare;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

/** The C ABI of libprivshare, one method per function of include/privshare.h. Internal. */
interface NativeLib extends Library {
    NativeLib INSTANCE = Native.load("privshare", NativeLib.class);

    /** {@code privshare_buffer}. */
    @Structure.FieldOrder({"data", "len"})
    class Buffer extends Structure {
        public Pointer data;
        public SizeT len;
    }

    /** {@code privshare_column}. */
    @Structure.FieldOrder({"data", "data_len", "offsets", "count", "invalid_rows", "invalid_count"})
    class Column extends Structure {
        public Pointer data;
        public SizeT data_len;
        public Pointer offsets;
        public SizeT count;
        public Pointer invalid_rows;
        public SizeT invalid_count;
    }

    /** {@code privshare_date_range}. */
    @Structure.FieldOrder({"start_year", "start_month", "start_day", "end_year", "end_month", "end_day"})
    class DateRange extends Structure {
        public short start_year;
        public byte start_month;
        public byte start_day;
        public short end_year;
        public byte end_month;
        public byte end_day;
    }

    /** {@code privshare_audit_report}. */
    @Structure.FieldOrder({"records", "batches", "tree_heads", "signed_records", "unsigned_records", "root", "log_id",
            "suite"})
    class AuditReport extends Structure {
        public long records;
        public long batches;
        public long tree_heads;
        public long signed_records;
        public long unsigned_records;
        public byte[] root = new byte[32];
        public byte[] log_id = new byte[16];
        public int suite;
    }

    /** {@code privshare_keyset_load_options}. */
    @Structure.FieldOrder({"min_generation", "argon2_max_m_cost_kib", "argon2_max_t_cost", "argon2_max_p_cost"})
    class KeysetLoadOptions extends Structure {
        public long min_generation;
        public int argon2_max_m_cost_kib;
        public int argon2_max_t_cost;
        public int argon2_max_p_cost;
    }

    Pointer privshare_version();

    int privshare_error_code(Pointer err);
    Pointer privshare_error_message(Pointer err);
    Pointer privshare_error_description(Pointer err);
    // C `bool` is one byte: JNA's `boolean` would read a whole int, so these return `byte`.
    byte privshare_error_row(Pointer err, LongByReference row);
    byte privshare_error_line(Pointer err, LongByReference line);
    byte privshare_error_offset(Pointer err, LongByReference offset);
    Pointer privshare_error_column(Pointer err);
    Pointer privshare_error_details(Pointer err);
    void privshare_error_free(Pointer err);
    SizeT privshare_error_kind_count();
    int privshare_error_kind_code(SizeT index);
    Pointer privshare_error_kind_name(int code);

    void privshare_buffer_free(Buffer buf);
    void privshare_column_free(Column col);

    int privshare_keyset_generate(int suite, PointerByReference out, PointerByReference err);
    int privshare_keyset_load_json_kek(byte[] json, SizeT jsonLen, byte[] kek, SizeT kekLen,
            KeysetLoadOptions options, PointerByReference out, PointerByReference err);
    int privshare_keyset_load_json_passphrase(byte[] json, SizeT jsonLen, byte[] passphrase,
            KeysetLoadOptions options, PointerByReference out, PointerByReference err);
    int privshare_keyset_save_json_kek(Pointer ks, byte[] kek, SizeT kekLen, Buffer out, PointerByReference err);
    int privshare_keyset_save_json_passphrase(Pointer ks, byte[] passphrase, Buffer out, PointerByReference err);
    int privshare_keyset_load_insecure_plaintext_json(byte[] json, SizeT jsonLen, PointerByReference out,
            PointerByReference err);
    int privshare_keyset_save_insecure_plaintext_json(Pointer ks, Buffer out, PointerByReference err);
    int privshare_keyset_rotate(Pointer ks, int suite, IntByReference newId, PointerByReference err);
    int privshare_keyset_set_primary(Pointer ks, int id, PointerByReference err);
    int privshare_keyset_disable(Pointer ks, int id, PointerByReference err);
    int privshare_keyset_enable(Pointer ks, int id, PointerByReference err);
    int privshare_keyset_destroy(Pointer ks, int id, PointerByReference err);
    int privshare_keyset_primary_id(Pointer ks);
    int privshare_keyset_primary_suite(Pointer ks);
    SizeT privshare_keyset_version_count(Pointer ks);
    long privshare_keyset_generation(Pointer ks);
    void privshare_keyset_free(Pointer ks);

    int privshare_cipher_new_randomized(Pointer ks, byte[] dataset, byte[] field, int encoding,
            PointerByReference out, PointerByReference err);
    int privshare_cipher_new_deterministic(Pointer ks, byte[] dataset, byte[] field, int encoding,
            PointerByReference out, PointerByReference err);
    int privshare_cipher_new_randomized_padded(Pointer ks, byte[] dataset, byte[] field, int encoding,
            byte[] padding, PointerByReference out, PointerByReference err);
    int privshare_cipher_new_deterministic_padded(Pointer ks, byte[] dataset, byte[] field, int encoding,
            byte[] padding, PointerByReference out, PointerByReference err);
    int privshare_cipher_new_ff1(Pointer ks, int keyId, byte[] dataset, byte[] field, byte[] alphabet,
            PointerByReference out, PointerByReference err);
    int privshare_cipher_new_resident_id(Pointer ks, int keyId, byte[] dataset, byte[] field, DateRange range,
            PointerByReference out, PointerByReference err);
    int privshare_cipher_new_mobile(Pointer ks, int keyId, byte[] dataset, byte[] field, PointerByReference out,
            PointerByReference err);
    int privshare_cipher_new_bank_card(Pointer ks, int keyId, byte[] dataset, byte[] field, PointerByReference out,
            PointerByReference err);
    int privshare_cipher_new_token(Pointer ks, int keyId, byte[] purpose, int encoding, PointerByReference out,
            PointerByReference err);
    int privshare_cipher_scheme(Pointer cipher);
    int privshare_cipher_key_id(Pointer cipher);
    byte privshare_cipher_binds_record(Pointer cipher);
    void privshare_cipher_free(Pointer cipher);

    int privshare_cipher_encrypt(Pointer cipher, byte[] record, SizeT recordLen, byte[] value, SizeT valueLen,
            Buffer out, PointerByReference err);
    int privshare_cipher_decrypt(Pointer cipher, byte[] record, SizeT recordLen, byte[] value, SizeT valueLen,
            Buffer out, PointerByReference err);
    int privshare_cipher_encrypt_column(Pointer cipher, Pointer data, Pointer offsets, SizeT count,
            Pointer recordData, Pointer recordOffsets, int onInvalid, Column out, PointerByReference err);
    int privshare_cipher_decrypt_column(Pointer cipher, Pointer data, Pointer offsets, SizeT count,
            Pointer recordData, Pointer recordOffsets, int onInvalid, Column out, PointerByReference err);

    // Masking, validators, scanning (C `bool` arguments are passed as one byte).
    int privshare_masker_new(byte[] ruleJson, byte strict, byte[] column, PointerByReference out,
            PointerByReference err);
    int privshare_masker_new_keyed(byte[] ruleJson, Pointer ks, int keyId, byte[] dataset, byte[] field, byte strict,
            PointerByReference out, PointerByReference err);
    void privshare_masker_free(Pointer masker);
    int privshare_masker_apply(Pointer masker, byte[] value, SizeT valueLen, byte[] subject, SizeT subjectLen,
            Buffer out, ByteByReference parsed, PointerByReference err);
    int privshare_masker_apply_column(Pointer masker, Pointer data, Pointer offsets, SizeT count,
            Pointer subjectData, Pointer subjectOffsets, int onInvalid, Column out, PointerByReference err);
    int privshare_validate(byte[] piiType, byte[] value, SizeT valueLen, ByteByReference valid,
            PointerByReference err);
    int privshare_validate_column(byte[] piiType, Pointer data, Pointer offsets, SizeT count, Pointer flags,
            PointerByReference err);
    int privshare_scan_csv(byte[] csv, SizeT csvLen, byte[] optionsJson, Buffer out, PointerByReference err);
    int privshare_scan_csv_path(byte[] path, byte[] optionsJson, Buffer out, PointerByReference err);

    // Anonymization.
    int privshare_anonymize_csv(byte[] csv, SizeT csvLen, byte delimiter, byte[] configJson, Buffer outCsv,
            Buffer outReport, PointerByReference err);
    int privshare_anonymize_csv_file(byte[] inputPath, byte[] outputPath, byte delimiter, byte[] configJson,
            Buffer outReport, PointerByReference err);
    int privshare_anonymize_columns(Pointer[] names, SizeT columnCount, Pointer[] data, Pointer[] offsets,
            Pointer counts, byte delimiter, byte[] configJson, Buffer outCsv, Buffer outReport,
            PointerByReference err);

    int privshare_audit_log_create(byte[] path, int suite, PointerByReference out, PointerByReference err);
    int privshare_audit_log_open(byte[] path, PointerByReference out, PointerByReference err);
    int privshare_audit_log_recover(byte[] path, LongByReference moved, PointerByReference err);
    void privshare_audit_log_free(Pointer log);
    int privshare_audit_log_append_json(Pointer log, byte[] json, SizeT len, LongByReference first,
            LongByReference size, PointerByReference err);
    int privshare_audit_log_size(Pointer log, LongByReference size, PointerByReference err);
    int privshare_audit_log_root(Pointer log, long treeSize, byte[] root, PointerByReference err);
    int privshare_audit_log_sign_tree_head(Pointer log, Pointer signer, Buffer out, PointerByReference err);
    int privshare_audit_log_inclusion_proof(Pointer log, long index, long treeSize, Buffer out,
            PointerByReference err);
    int privshare_audit_log_consistency_proof(Pointer log, long oldSize, long newSize, Buffer out,
            PointerByReference err);
    int privshare_audit_record_leaf_hash(int suite, byte[] json, SizeT len, byte[] out, PointerByReference err);
    int privshare_audit_inclusion_proof_verify(byte[] proof, SizeT len, byte[] leaf, byte[] root,
            PointerByReference err);
    int privshare_audit_consistency_proof_verify(byte[] proof, SizeT len, byte[] oldRoot, byte[] newRoot,
            PointerByReference err);
    int privshare_audit_signer_generate(PointerByReference out, Buffer pkcs8, PointerByReference err);
    int privshare_audit_signer_load_pkcs8(byte[] der, SizeT len, PointerByReference out, PointerByReference err);
    int privshare_audit_signer_public_key(Pointer signer, Buffer out, PointerByReference err);
    void privshare_audit_signer_free(Pointer signer);
    int privshare_audit_verifier_new(PointerByReference out, PointerByReference err);
    int privshare_audit_verifier_add_key(Pointer v, byte[] spki, SizeT len, PointerByReference err);
    int privshare_audit_verifier_trust(Pointer v, byte[] head, SizeT len, PointerByReference err);
    int privshare_audit_verifier_verify_file(Pointer v, byte[] path, AuditReport out, PointerByReference err);
    int privshare_audit_verifier_verify_tree_head(Pointer v, byte[] head, SizeT len, PointerByReference err);
    int privshare_audit_verifier_check_consistency(Pointer v, byte[] oldHead, SizeT oldLen, byte[] newHead,
            SizeT newLen, byte[] proof, SizeT proofLen, PointerByReference err);
    void privshare_audit_verifier_free(Pointer v);
    // Envelopes: identities, trust registry, replay store, sealer, open.
    int privshare_signing_key_generate(int algorithm, PointerByReference out, PointerByReference err);
    int privshare_signing_key_load(byte[] data, SizeT len, PointerByReference out, PointerByReference err);
    int privshare_signing_key_private_pem(Pointer key, Buffer out, PointerByReference err);
    int privshare_signing_key_public_pem(Pointer key, Buffer out, PointerByReference err);
    int privshare_signing_key_id(Pointer key, byte[] out, PointerByReference err);
    int privshare_signing_key_sign(Pointer key, byte[] msg, SizeT len, Buffer out, PointerByReference err);
    void privshare_signing_key_free(Pointer key);
    int privshare_verify_signature(byte[] pub, SizeT pubLen, byte[] msg, SizeT msgLen, byte[] sig, SizeT sigLen,
            PointerByReference err);
    int privshare_recipient_key_generate(int algorithm, PointerByReference out, PointerByReference err);
    int privshare_recipient_key_load(byte[] data, SizeT len, PointerByReference out, PointerByReference err);
    int privshare_recipient_key_private_pem(Pointer key, Buffer out, PointerByReference err);
    int privshare_recipient_key_public_pem(Pointer key, Buffer out, PointerByReference err);
    int privshare_recipient_key_id(Pointer key, byte[] out, PointerByReference err);
    void privshare_recipient_key_free(Pointer key);
    int privshare_trust_registry_new(PointerByReference out, PointerByReference err);
    int privshare_trust_registry_load_json(byte[] json, SizeT len, PointerByReference out, PointerByReference err);
    int privshare_trust_registry_add(Pointer reg, byte[] participant, byte[] pub, SizeT pubLen, long notBefore,
            long notAfter, PointerByReference err);
    int privshare_trust_registry_to_json(Pointer reg, Buffer out, PointerByReference err);
    int privshare_trust_registry_verify(Pointer reg, byte[] participant, byte[] keyId, long at, byte[] msg,
            SizeT msgLen, byte[] sig, SizeT sigLen, PointerByReference err);
    void privshare_trust_registry_free(Pointer reg);
    int privshare_replay_store_open(byte[] path, PointerByReference out, PointerByReference err);
    void privshare_replay_store_free(Pointer store);
    int privshare_sealer_new(byte[] sender, PointerByReference out, PointerByReference err);
    int privshare_sealer_add_recipient(Pointer sealer, byte[] participant, byte[] pub, SizeT pubLen,
            PointerByReference err);
    int privshare_sealer_set_text(Pointer sealer, byte[] field, byte[] value, PointerByReference err);
    int privshare_sealer_set_policy(Pointer sealer, byte[] id, int version, byte[] hash, SizeT hashLen,
            byte[] schemaHash, SizeT schemaHashLen, PointerByReference err);
    int privshare_sealer_add_column_key_version(Pointer sealer, byte[] column, int version, PointerByReference err);
    int privshare_sealer_set_options(Pointer sealer, long createdAt, long lifetime, int padding, long multiple,
            int chunkSize, PointerByReference err);
    int privshare_sealer_seal(Pointer sealer, Pointer signer, byte[] payload, SizeT len, Buffer out,
            PointerByReference err);
    int privshare_sealer_seal_file(Pointer sealer, Pointer signer, byte[] in, byte[] out, PointerByReference err);
    void privshare_sealer_free(Pointer sealer);
    int privshare_envelope_open(Pointer reg, byte[] me, Pointer key, Pointer store, long now, long skew,
            byte[] envelope, SizeT len, Buffer payload, Buffer header, PointerByReference err);
    int privshare_envelope_open_file(Pointer reg, byte[] me, Pointer key, Pointer store, long now, long skew,
            byte[] in, byte[] out, Buffer header, PointerByReference err);
    // Sharing policies.
    int privshare_plan_new(byte[] policyText, int format, Pointer keyset, PointerByReference out,
            PointerByReference err);
    void privshare_plan_free(Pointer plan);
    int privshare_plan_protect_csv_file(Pointer plan, byte[] in, byte[] out, byte delimiter, Buffer report,
            PointerByReference err);
    int privshare_plan_share_csv_file(Pointer plan, byte[] in, byte[] out, byte delimiter, Pointer signer,
            Pointer[] recipientIds, Pointer[] recipientKeys, Pointer recipientKeyLens, SizeT recipientCount,
            long lifetimeSecs, Buffer report, PointerByReference err);
    int privshare_plan_protect_file(Pointer plan, byte[] in, byte[] out, int format, byte delimiter, Buffer report,
            PointerByReference err);
    int privshare_plan_reveal_file(Pointer plan, byte[] in, byte[] out, int format, byte delimiter, Buffer report,
            PointerByReference err);
    int privshare_plan_share_file(Pointer plan, byte[] in, byte[] out, int format, byte delimiter, Pointer signer,
            Pointer[] recipientIds, Pointer[] recipientKeys, Pointer recipientKeyLens, SizeT recipientCount,
            long lifetimeSecs, int padding, long padMultiple, Buffer report, PointerByReference err);
    int privshare_package_open_file(Pointer reg, byte[] me, Pointer key, Pointer store, long now, long skew,
            byte[] in, byte[] out, Buffer report, Buffer header, PointerByReference err);
}
