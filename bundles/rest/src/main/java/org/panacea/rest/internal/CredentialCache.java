package org.panacea.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.panacea.api.security.Caller;

/**
 * Remembers successful Basic logins for a short while. Passwords are bcrypt hashes (tens of milliseconds each by
 * design); checking one on every request of a busy client would cost more than the request. Only a salted SHA-256 of
 * the credentials and the client's address is kept, never the password, and an entry expires after the configured
 * time.
 * <p>
 * The remembered caller is the one the security bundle issued, sealed for that address, so an entry serves only the
 * address it was made from. A changed password or role takes effect at once, not at expiry: the users file is
 * watched (a stat per lookup, a re-read when it changed), and every entry of a user whose line changed is dropped.
 */
final class CredentialCache {

    private record Entry(Caller caller, Instant expires, String user, String userLine) {
    }

    /** How the users file looked at the last look: its time and size, and each user's line, digested. */
    private record UsersFile(Instant modified, long size, Map<String, String> lines) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;
    private final Path usersFile;
    private final byte[] salt = new byte[16];
    private volatile UsersFile users;

    /**
     * @param usersFile the realm's users file ({@code etc/users.properties}); {@code null} when the realm keeps its
     *                  users elsewhere (LDAP), where only expiry applies
     */
    CredentialCache(Duration lifetime, Clock clock, Path usersFile) {
        this.lifetime = lifetime;
        this.clock = clock;
        this.usersFile = usersFile;
        new java.security.SecureRandom().nextBytes(salt);
        this.users = read();
    }

    Optional<Caller> lookup(String user, char[] password, String clientAddress) {
        dropChangedUsers();
        Entry entry = entries.get(key(user, password, clientAddress));
        if (entry == null || clock.instant().isAfter(entry.expires())) {
            return Optional.empty();
        }
        return Optional.of(entry.caller());
    }

    void remember(String user, char[] password, Caller caller) {
        if (entries.size() > 10_000) {
            entries.clear(); // bounded: a flood of distinct credentials must not grow memory
        }
        entries.put(key(user, password, caller.clientAddress()), new Entry(caller, clock.instant().plus(lifetime),
                user, users.lines().get(user)));
    }

    private void dropChangedUsers() {
        if (usersFile == null) {
            return;
        }
        UsersFile before = users;
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(usersFile, BasicFileAttributes.class);
        } catch (IOException gone) {
            now = null;
        }
        boolean same = now == null ? before.size() < 0
                : now.lastModifiedTime().toInstant().equals(before.modified()) && now.size() == before.size();
        if (same) {
            return;
        }
        UsersFile after = read();
        users = after;
        entries.values().removeIf(entry -> !Objects.equals(entry.userLine(), after.lines().get(entry.user())));
    }

    /** Each user's line of the users file, digested (the line holds a password hash: never kept as it is). */
    private UsersFile read() {
        if (usersFile == null) {
            return new UsersFile(Instant.EPOCH, -1, Map.of());
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(usersFile, BasicFileAttributes.class);
            List<String> lines = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
            Map<String, String> byUser = new HashMap<>();
            for (String line : lines) {
                String trimmed = line.strip();
                int equals = trimmed.indexOf('=');
                if (trimmed.isEmpty() || trimmed.startsWith("#") || equals < 1) {
                    continue;
                }
                byUser.put(trimmed.substring(0, equals).strip(), digest(trimmed));
            }
            return new UsersFile(attributes.lastModifiedTime().toInstant(), attributes.size(), byUser);
        } catch (IOException unreadable) {
            // no file: nothing to compare; an entry made now matches "no line", and any later file drops it
            return new UsersFile(Instant.EPOCH, -1, Map.of());
        }
    }

    private String key(String user, char[] password, String clientAddress) {
        return digest(user + '\0' + new String(password) + '\0' + clientAddress);
    }

    private String digest(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
