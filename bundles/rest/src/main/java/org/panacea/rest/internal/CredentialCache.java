package org.panacea.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.panacea.api.security.Caller;

/**
 * Remembers successful Basic logins for a short while. Passwords are bcrypt hashes (tens of milliseconds each by
 * design); checking one on every request of a busy client would cost more than the request. Only a salted SHA-256 of
 * the credentials is kept, never the password, and an entry expires after the configured time, so a changed password
 * or role takes effect within it.
 */
final class CredentialCache {

    private record Entry(Caller caller, Instant expires) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;
    private final byte[] salt = new byte[16];

    CredentialCache(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
        new java.security.SecureRandom().nextBytes(salt);
    }

    Optional<Caller> lookup(String user, char[] password, String clientAddress) {
        Entry entry = entries.get(key(user, password));
        if (entry == null || clock.instant().isAfter(entry.expires())) {
            return Optional.empty();
        }
        Caller cached = entry.caller();
        return Optional.of(new Caller(cached.name(), cached.roles(), clientAddress));
    }

    void remember(String user, char[] password, Caller caller) {
        if (entries.size() > 10_000) {
            entries.clear(); // bounded: a flood of distinct credentials must not grow memory
        }
        entries.put(key(user, password), new Entry(caller, clock.instant().plus(lifetime)));
    }

    private String key(String user, char[] password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(user.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
