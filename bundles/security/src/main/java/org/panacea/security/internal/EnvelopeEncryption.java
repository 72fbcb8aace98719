package org.panacea.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
 * wrapped by a versioned key-encryption key from the shared key ring. Rotation adds a key version and a fresh data
 * key for new values; re-wrap moves old data keys under the newest version. Unwrapped data keys live only in memory.
 * <p>
 * Several nodes share one security database. A rotation on any node is noticed by every other one: before it
 * encrypts, a node asks the database for the newest data key id at most once per {@link #REFRESH_BOUND} and takes
 * that key up when it changed (so new values everywhere use the newest key within that bound); a value sealed by a
 * data key this node has not loaded yet makes it load the data keys at once, so nothing another node wrote is ever
 * unreadable here.
 */
// Immediate: the encryption is ready (its data key made on first start) before the first record needs it.
@Component(service = { FieldEncryption.class, KeyManagement.class }, immediate = true)
public class EnvelopeEncryption implements FieldEncryption, KeyManagement {

    /** How stale a node's idea of the newest data key may be when it encrypts. */
    static final Duration REFRESH_BOUND = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeEncryption.class);
    private static final String GCM = "AES/GCM/NoPadding";
    private static final int BLIND_INDEX_BYTES = 16;
    /** Concurrent rotations on several nodes each get a data key id of their own; this bounds the retries. */
    private static final int INSERT_ATTEMPTS = 10;
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** The active data key: new values are sealed with it. */
    private record ActiveKey(int id, SecretKey key) {
    }

    private final Provider provider;
    private final KeyEncryptionKeys keks;
    private final DataKeyRepository dataKeys;
    private final AuditTrail audit;
    private final Map<Integer, SecretKey> unwrapped = new ConcurrentHashMap<>();
    private final SecretKey blindIndexKey;
    private final long refreshNanos;
    /** One thread at a time asks the database; the others go on with the key they have. */
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile ActiveKey active;
    private volatile long checkedAt;
    private volatile long warnedAt;

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
        this(keks, dataSource, audit, provider, REFRESH_BOUND);
    }

    /** @param refreshBound how stale the newest data key may be when encrypting ({@link Duration#ZERO}: never) */
    EnvelopeEncryption(KeyEncryptionKeys keks, DataSource dataSource, AuditTrail audit, Provider provider,
            Duration refreshBound) {
        this.provider = provider;
        this.keks = keks;
        this.dataKeys = new DataKeyRepository(dataSource);
        this.audit = audit;
        this.refreshNanos = refreshBound.toNanos();
        this.ciphers = ThreadLocal.withInitial(() -> newInstance(() -> Cipher.getInstance(GCM, provider)));
        this.nonces = ThreadLocal.withInitial(() -> newInstance(() -> new NonceSource(provider)));
        this.macs = ThreadLocal.withInitial(() -> newInstance(() -> Mac.getInstance("HmacSHA256", provider)));
        try {
            FipsProvider.describe(provider);
            this.blindIndexKey = keks.blindIndexKey();
            dataKeys.createSchemaIfMissing();
            loadDataKeys();
            if (active == null) {
                createFirstDataKey();
            }
            this.checkedAt = System.nanoTime();
            LOG.info("Envelope encryption ready: key version {} active, {} data keys", keks.activeVersion(),
                    unwrapped.size());
        } catch (KeyStoreUnavailableException | SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("Encryption keys cannot be loaded: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] encrypt(FieldBinding binding, byte[] plaintext) {
        ActiveKey key = newestKey();
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
            key = loadMissing(keyId, binding);
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
            // From the database, not memory: another node may have rotated.
            NavigableMap<Integer, Instant> versions = keks.versions();
            Map<Integer, Long> counts = dataKeys.countByKekVersion();
            List<KeyVersion> result = new ArrayList<>();
            for (Map.Entry<Integer, Instant> version : versions.entrySet()) {
                result.add(new KeyVersion(version.getKey(), version.getValue(),
                        version.getKey().equals(versions.lastKey()), counts.getOrDefault(version.getKey(), 0L)));
            }
            return result;
        } catch (SQLException | KeyStoreUnavailableException e) {
            throw new IllegalStateException("key versions cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized KeyVersion rotate(Caller caller) {
        try {
            int version = keks.addVersion();
            ActiveKey next = newDataKey(version);
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


    /**
     * The key new values are sealed with: the newest data key of the installation, as this node last saw it, seen
     * again when that was longer ago than the bound. A database that cannot answer does not stop encryption: the
     * key this node has stays good (an older key is still a valid key), and the failure is logged once a minute.
     */
    private ActiveKey newestKey() {
        ActiveKey key = active;
        if (System.nanoTime() - checkedAt < refreshNanos || !refreshing.tryLock()) {
            return key;
        }
        try {
            if (refreshNanos > 0 && System.nanoTime() - checkedAt < refreshNanos) {
                return active;
            }
            if (dataKeys.newestId() != key.id()) {
                loadDataKeys();
            }
        } catch (SQLException | KeyStoreUnavailableException | GeneralSecurityException e) {
            long now = System.nanoTime();
            if (now - warnedAt > WARN_EVERY_NANOS) {
                warnedAt = now;
                LOG.warn("Cannot check for a newer data key (another node's rotation); encrypting with data key {} "
                        + "meanwhile: {}", key.id(), e.getMessage());
            }
        } finally {
            checkedAt = System.nanoTime();
            refreshing.unlock();
        }
        return active;
    }

    /** Loads a data key another node made, for a value that names it. */
    private SecretKey loadMissing(int keyId, FieldBinding binding) {
        refreshing.lock();
        try {
            SecretKey key = unwrapped.get(keyId);
            if (key == null) {
                loadDataKeys();
                checkedAt = System.nanoTime();
                key = unwrapped.get(keyId);
            }
            if (key == null) {
                throw new DecryptionException("encrypted " + describe(binding) + " names data key " + keyId
                        + ", which this platform does not have");
            }
            return key;
        } catch (SQLException | KeyStoreUnavailableException | GeneralSecurityException e) {
            throw new DecryptionException("encrypted " + describe(binding) + " names data key " + keyId
                    + ", which cannot be loaded: " + e.getMessage(), e);
        } finally {
            refreshing.unlock();
        }
    }

    /** Unwraps every stored data key not yet in memory; the newest becomes the active one. */
    private void loadDataKeys() throws SQLException, KeyStoreUnavailableException, GeneralSecurityException {
        synchronized (unwrapped) {
            List<WrappedDataKey> stored = dataKeys.all();
            for (WrappedDataKey key : stored) {
                if (!unwrapped.containsKey(key.id())) {
                    unwrapped.put(key.id(), unwrap(key));
                }
            }
            if (!stored.isEmpty()) {
                int newest = stored.get(stored.size() - 1).id();
                ActiveKey current = active;
                if (current == null || newest > current.id()) {
                    active = new ActiveKey(newest, unwrapped.get(newest));
                    if (current != null) {
                        LOG.info("New values use data key {} (made by a key rotation)", newest);
                    }
                }
            }
        }
    }

    /** Data key 1 on an installation's first start; when another node made it first, that one. */
    private void createFirstDataKey() throws GeneralSecurityException, KeyStoreUnavailableException, SQLException {
        if (insertDataKey(1, keks.activeVersion()) == null) {
            loadDataKeys();
        }
        if (active == null) {
            throw new IllegalStateException("no data key could be made or read");
        }
    }

    /** A new data key under key version {@code kekVersion}, with the next free id; it becomes the active one. */
    private ActiveKey newDataKey(int kekVersion)
            throws GeneralSecurityException, KeyStoreUnavailableException, SQLException {
        for (int attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
            int known = unwrapped.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            int id = Math.max(known, dataKeys.newestId()) + 1;
            ActiveKey made = insertDataKey(id, kekVersion);
            if (made != null) {
                return made;
            }
        }
        throw new SQLException("no data key id was free: other nodes kept taking the next one; try again");
    }

    /** Stores a data key with {@code id}; {@code null} when another node took that id first. */
    private ActiveKey insertDataKey(int id, int kekVersion)
            throws GeneralSecurityException, KeyStoreUnavailableException, SQLException {
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        SecretKey dataKey = generator.generateKey();
        if (!dataKeys.insert(new WrappedDataKey(id, kekVersion, wrap(id, dataKey, keks.kek(kekVersion)),
                Instant.now()))) {
            return null;
        }
        ActiveKey made = new ActiveKey(id, dataKey);
        synchronized (unwrapped) {
            unwrapped.put(id, dataKey);
            ActiveKey current = active;
            if (current == null || id > current.id()) {
                active = made;
            }
        }
        return made;
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
