package org.panacea.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.RewrapProgress;
import org.panacea.security.internal.DataKeyRepository.WrappedDataKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelope encryption with AES-256-GCM from BouncyCastle FIPS. Values are sealed by a data key; data keys are stored
 * wrapped by a versioned key-encryption key from the BCFKS key store. Rotation adds a key version and a fresh data
 * key for new values; re-wrap moves old data keys under the newest version. Unwrapped data keys live only in memory.
 */
// Immediate: the encryption is ready (its data key made on first start) before the first record needs it.
@Component(service = { FieldEncryption.class, KeyManagement.class }, immediate = true)
public class EnvelopeEncryption implements FieldEncryption, KeyManagement {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeEncryption.class);
    private static final String GCM = "AES/GCM/NoPadding";
    private static final int BLIND_INDEX_BYTES = 16;

    /** The active data key: new values are sealed with it. */
    private record ActiveKey(int id, SecretKey key) {
    }

    private final Provider provider;
    private final KeyEncryptionKeys keks;
    private final DataKeyRepository dataKeys;
    private final AuditTrail audit;
    private final Map<Integer, SecretKey> unwrapped = new ConcurrentHashMap<>();
    private final SecretKey blindIndexKey;
    private volatile ActiveKey active;

    // Cipher and DRBG instances are not thread-safe; one per thread avoids both locking and per-call look-ups.
    private final ThreadLocal<Cipher> ciphers;
    private final ThreadLocal<NonceSource> nonces;
    private final ThreadLocal<Mac> macs;

    @Activate
    public EnvelopeEncryption(@Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource,
            @Reference AuditTrail audit, @Reference KeyEncryptionKeys keks) {
        this(keks, dataSource, audit, FipsProvider.get());
    }

    EnvelopeEncryption(KeyEncryptionKeys keks, DataSource dataSource, AuditTrail audit, Provider provider) {
        this.provider = provider;
        this.keks = keks;
        this.dataKeys = new DataKeyRepository(dataSource);
        this.audit = audit;
        this.ciphers = ThreadLocal.withInitial(() -> newInstance(() -> Cipher.getInstance(GCM, provider)));
        this.nonces = ThreadLocal.withInitial(() -> newInstance(() -> new NonceSource(provider)));
        this.macs = ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance("HmacSHA256", provider)));
        try {
            FipsProvider.describe(provider);
            this.blindIndexKey = keks.blindIndexKey();
            dataKeys.createSchemaIfMissing();
            List<WrappedDataKey> stored = dataKeys.all();
            for (WrappedDataKey key : stored) {
                unwrapped.put(key.id(), unwrap(key));
            }
            if (stored.isEmpty()) {
                this.active = newDataKey(1);
            } else {
                int newest = stored.get(stored.size() - 1).id();
                this.active = new ActiveKey(newest, unwrapped.get(newest));
            }
            LOG.info("Envelope encryption ready: key version {} active, {} data keys", keks.activeVersion(),
                    unwrapped.size());
        } catch (KeyStoreUnavailableException | SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("Encryption keys cannot be loaded: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
        ActiveKey key = active;
        byte[] sealed = new byte[SealedValue.HEADER_BYTES + plaintext.length + SealedValue.TAG_BYTES];
        sealed[0] = SealedValue.FORMAT;
        ByteBuffer.wrap(sealed, 1, 4).putInt(key.id());
        nonces.get().nextNonce(sealed, 5);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.key(),
                    new GCMParameterSpec(SealedValue.TAG_BYTES * 8, sealed, 5, SealedValue.NONCE_BYTES));
            cipher.updateAAD(SealedValue.associatedData(sealed, binding));
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, SealedValue.HEADER_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] decrypt(FieldBinding binding, byte[] sealed) {
        int keyId = SealedValue.dataKeyId(sealed);
        SecretKey key = unwrapped.get(keyId);
        if (key == null) {
            throw new DecryptionException("encrypted " + describe(binding) + " names data key " + keyId
                    + ", which this platform does not have");
        }
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(SealedValue.TAG_BYTES * 8, sealed, 5, SealedValue.NONCE_BYTES));
            cipher.updateAAD(SealedValue.associatedData(sealed, binding));
            return cipher.doFinal(sealed, SealedValue.HEADER_BYTES, sealed.length - SealedValue.HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("encrypted " + describe(binding) + " failed its integrity check: it was "
                    + "altered, or belongs to another record or field", e);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("encrypted " + describe(binding) + " cannot be decrypted: "
                    + e.getMessage(), e);
        }
    }

    private static String describe(FieldBinding binding) {
        return binding.resourceType() + "/" + binding.recordId() + " field '" + binding.field() + "'";
    }

    @Override
    public String blindIndex(String field, String value) {
        String normalised = Normalizer.normalize(value, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        Mac mac = macs.get();
        try {
            mac.init(blindIndexKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC key rejected: " + e.getMessage(), e);
        }
        mac.update(field.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, BLIND_INDEX_BYTES));
    }

    @Override
    public List<KeyVersion> keyVersions() {
        try {
            NavigableMap<Integer, Instant> versions = keks.versions();
            Map<Integer, Long> counts = dataKeys.countByKekVersion();
            List<KeyVersion> result = new ArrayList<>();
            for (Map.Entry<Integer, Instant> version : versions.entrySet()) {
                result.add(new KeyVersion(version.getKey(), version.getValue(),
                        version.getKey().equals(versions.lastKey()), counts.getOrDefault(version.getKey(), 0L)));
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("data keys cannot be counted: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized KeyVersion rotate(Caller caller) {
        try {
            int version = keks.addVersion();
            ActiveKey next = newDataKey(nextDataKeyId());
            active = next;
            audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.KEY_ROTATED, "Key",
                    Integer.toString(version), "", AuditOutcome.SUCCESS, caller.clientAddress(),
                    "key version " + version + ", data key " + next.id()));
            LOG.info("Key version {} is active; new values use data key {}", version, next.id());
            return keyVersions().stream().filter(v -> v.version() == version).findFirst().orElseThrow();
        } catch (KeyStoreUnavailableException | SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("key rotation failed, the previous key stays active: " + e.getMessage(), e);
        }
    }

    @Override
    public RewrapProgress rewrap(Caller caller, Consumer<RewrapProgress> progress) {
        try {
            int target = keks.activeVersion();
            SecretKey targetKek = keks.kek(target);
            List<WrappedDataKey> stale = dataKeys.all().stream().filter(k -> k.kekVersion() < target).toList();
            long done = 0;
            RewrapProgress current = new RewrapProgress(0, stale.size());
            progress.accept(current);
            for (WrappedDataKey key : stale) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                SecretKey dataKey = unwrap(key);
                dataKeys.rewrap(key.id(), key.kekVersion(), target, wrap(key.id(), dataKey, targetKek));
                current = new RewrapProgress(++done, stale.size());
                progress.accept(current);
            }
            audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.KEY_REWRAPPED, "Key",
                    Integer.toString(target), "", AuditOutcome.SUCCESS, caller.clientAddress(),
                    done + " of " + stale.size() + " data keys re-wrapped"));
            return current;
        } catch (KeyStoreUnavailableException | SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("re-wrap stopped; data keys done so far stay re-wrapped: "
                    + e.getMessage(), e);
        }
    }


    private int nextDataKeyId() {
        return unwrapped.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    private ActiveKey newDataKey(int id) throws GeneralSecurityException, KeyStoreUnavailableException, SQLException {
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        SecretKey dataKey = generator.generateKey();
        int version = keks.activeVersion();
        dataKeys.insert(new WrappedDataKey(id, version, wrap(id, dataKey, keks.kek(version)), Instant.now()));
        unwrapped.put(id, dataKey);
        return new ActiveKey(id, dataKey);
    }

    /** Wraps a data key with AES-GCM under a key-encryption key, binding the data key's id. */
    private byte[] wrap(int id, SecretKey dataKey, SecretKey kek) throws GeneralSecurityException {
        byte[] nonce = new byte[SealedValue.NONCE_BYTES];
        nonces.get().nextNonce(nonce, 0);
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.ENCRYPT_MODE, kek,
                new GCMParameterSpec(128, nonce));
        cipher.updateAAD(("panacea-data-key:" + id).getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext = cipher.doFinal(dataKey.getEncoded());
        return ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
    }

    private SecretKey unwrap(WrappedDataKey key) throws GeneralSecurityException, KeyStoreUnavailableException {
        Cipher cipher = Cipher.getInstance(GCM, provider);
        cipher.init(Cipher.DECRYPT_MODE, keks.kek(key.kekVersion()),
                new GCMParameterSpec(128, key.wrapped(), 0, SealedValue.NONCE_BYTES));
        cipher.updateAAD(("panacea-data-key:" + key.id()).getBytes(StandardCharsets.UTF_8));
        byte[] raw = cipher.doFinal(key.wrapped(), SealedValue.NONCE_BYTES,
                key.wrapped().length - SealedValue.NONCE_BYTES);
        return new SecretKeySpec(raw, "AES");
    }

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T newInstance(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle FIPS lacks a required algorithm: " + e.getMessage(), e);
        }
    }
}
