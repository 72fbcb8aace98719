package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.SharedSecrets;

/**
 * The audit key comes from the installation's shared store, so every node seals with the same key and verifies the
 * others' anchors; a node's key file of an earlier version is adopted once and set aside.
 */
class SharedAuditKeyTest {

    private static final String HASH = "c".repeat(64);

    @TempDir
    Path folder;

    /** The contract of the security bundle's store, in memory: the first secret stored under a name wins. */
    static final class InMemorySecrets implements SharedSecrets {
        final Map<String, byte[]> stored = new ConcurrentHashMap<>();
        final AtomicInteger formerCopiesAsked = new AtomicInteger();

        @Override
        public byte[] secret(String name, int length, Supplier<byte[]> existing) {
            return stored.computeIfAbsent(name, absent -> {
                formerCopiesAsked.incrementAndGet();
                byte[] former = existing.get();
                if (former != null) {
                    return former.clone();
                }
                byte[] made = new byte[length];
                new Random().nextBytes(made);
                return made;
            }).clone();
        }
    }

    private TrailSettings settings(String node) {
        return new TrailSettings(folder.resolve(node).resolve("etc/panacea-audit.key"), 1000, 256,
                folder.resolve("anchors"), node, Duration.ofHours(1));
    }

    @Test
    void nodesSealWithTheSharedKeyAndEachVerifiesTheOthersAnchors() throws Exception {
        InMemorySecrets store = new InMemorySecrets();
        try (AnchorJournal a = new AnchorJournal(settings("node-a"), Clock.systemUTC(), store);
                AnchorJournal b = new AnchorJournal(settings("node-b"), Clock.systemUTC(), store)) {
            a.anchor(AnchorKind.HEAD, 7, HASH).orElseThrow();
            b.anchor(AnchorKind.HEAD, 8, HASH).orElseThrow();
            for (AnchorJournal reader : List.of(a, b)) {
                List<AnchorFiles.FileContent> files = reader.readAll();
                assertEquals(2, files.size());
                for (AnchorFiles.FileContent content : files) {
                    assertNull(content.problem(), content.node() + ": " + content.problem());
                }
            }
        }
        assertFalse(Files.exists(settings("node-a").keyFile()), "no key file is made any more");
        assertEquals(AuditKeyFile.KEY_BYTES, store.stored.get(AuditKeyFile.SHARED_NAME).length);
    }

    @Test
    void aNodesFormerKeyFileIsAdoptedOnceSoItsEarlierSealsStillVerify() throws Exception {
        Path former = settings("node-a").keyFile();
        try (AnchorJournal before = new AnchorJournal(settings("node-a"), Clock.systemUTC())) {
            // The earlier version: the node's own key file, made on first start, sealing its anchors.
            before.anchor(AnchorKind.CHECKPOINT, 1000, HASH).orElseThrow();
        }
        byte[] formerKey = Base64.getDecoder().decode(Files.readString(former).strip());

        InMemorySecrets store = new InMemorySecrets();
        try (AnchorJournal upgraded = new AnchorJournal(settings("node-a"), Clock.systemUTC(), store);
                AnchorJournal other = new AnchorJournal(settings("node-b"), Clock.systemUTC(), store)) {
            assertArrayEquals(formerKey, store.stored.get(AuditKeyFile.SHARED_NAME));
            assertNull(other.readAll().get(0).problem(), "the line sealed before the upgrade verifies on any node");
            upgraded.anchor(AnchorKind.HEAD, 1001, HASH).orElseThrow();
            assertNull(other.readAll().get(0).problem());
        }
        assertFalse(Files.exists(former), "the file is not read again");
        assertTrue(Files.exists(former.resolveSibling("panacea-audit.key.imported")), "but kept until deleted");
        assertEquals(1, store.formerCopiesAsked.get());
    }

    @Test
    void aFormerKeyFileThatIsNotTheSharedKeyIsLeftInPlace() throws Exception {
        InMemorySecrets store = new InMemorySecrets();
        new AnchorJournal(settings("node-a"), Clock.systemUTC(), store).close();
        // node-b kept a key of its own before the upgrade; node-a's became the shared one first.
        Path former = settings("node-b").keyFile();
        AuditKeyFile.loadOrCreate(former);
        try (AnchorJournal b = new AnchorJournal(settings("node-b"), Clock.systemUTC(), store)) {
            b.anchor(AnchorKind.HEAD, 1, HASH).orElseThrow();
        }
        assertTrue(Files.exists(former), "left for the administrator to check older seals with");
        assertFalse(java.util.Arrays.equals(AuditKeyFile.loadOrCreate(former),
                store.stored.get(AuditKeyFile.SHARED_NAME)));
    }

    @Test
    void withoutTheSharedStoreTheJournalDoesNotOpen() {
        SharedSecrets unreachable = (name, length, existing) -> {
            throw new IllegalStateException("Shared secret 'audit.seal' cannot be stored in the security database: "
                    + "connection refused");
        };
        AuditException e = assertThrows(AuditException.class,
                () -> new AnchorJournal(settings("node-a"), Clock.systemUTC(), unreachable));
        assertTrue(e.getMessage().contains("shared key store") && e.getMessage().contains("connection refused"),
                e.getMessage());
        assertNotNull(e.getCause());
    }
}
