package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditKeyFileTest {

    @TempDir
    Path folder;

    @Test
    void createsARandomOwnerOnlyKeyOnceAndReadsItBack() throws IOException {
        Path file = folder.resolve("etc/panacea-audit.key");

        byte[] created = AuditKeyFile.loadOrCreate(file);
        byte[] read = AuditKeyFile.loadOrCreate(file);

        assertEquals(AuditKeyFile.KEY_BYTES, created.length);
        assertArrayEquals(created, read);
        assertArrayEquals(created, Base64.getDecoder().decode(Files.readString(file).strip()));
        assertNotEquals(Base64.getEncoder().encodeToString(created),
                Base64.getEncoder().encodeToString(AuditKeyFile.loadOrCreate(folder.resolve("other.key"))));
        assumeTrue(Files.getFileAttributeView(file, PosixFileAttributeView.class) != null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void refusesAShortOrGarbledKey() throws IOException {
        Path shortKey = Files.writeString(folder.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[8]));
        Path garbled = Files.writeString(folder.resolve("garbled.key"), "not base64 !!!");

        IOException tooShort = assertThrows(IOException.class, () -> AuditKeyFile.loadOrCreate(shortKey));
        assertThrows(IOException.class, () -> AuditKeyFile.loadOrCreate(garbled));
        assertTrue(tooShort.getMessage().contains("8 bytes"), tooShort.getMessage());
    }

    @Test
    void settingsDefaultToKarafsFolders() {
        AuditTrailConfig defaults = ConfigProxy.of(AuditTrailConfig.class, Map.of());
        AuditTrailConfig explicit = ConfigProxy.of(AuditTrailConfig.class, Map.of("keyFile", "/secure/audit.key",
                "checkpointInterval", 7, "anchorFolder", "/mnt/anchors", "nodeName", "ward-b", "anchorPeriodSeconds",
                15));

        TrailSettings inKaraf = TrailSettings.from(defaults, "/opt/panacea/etc", "/opt/panacea/data", "node-1");
        assertEquals(Path.of("/opt/panacea/etc", "panacea-audit.key"), inKaraf.keyFile());
        assertEquals(1000, inKaraf.checkpointInterval());
        assertEquals(Path.of("/opt/panacea/data", "audit-anchors"), inKaraf.anchorFolder());
        assertEquals(Path.of("/opt/panacea/data", "audit-anchors", "node-1.anchors"), inKaraf.anchorFile());
        assertEquals(Duration.ofSeconds(60), inKaraf.anchorPeriod());

        TrailSettings configured = TrailSettings.from(explicit, null, null, null);
        assertEquals(Path.of("/secure/audit.key"), configured.keyFile());
        assertEquals(7, configured.checkpointInterval());
        assertEquals(Path.of("/mnt/anchors", "ward-b.anchors"), configured.anchorFile());
        assertEquals(Duration.ofSeconds(15), configured.anchorPeriod());

        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(defaults, null, "/data", "n"));
        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(defaults, "/etc", null, "n"));
        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(defaults, "/etc", "/data", null));
        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(
                ConfigProxy.of(AuditTrailConfig.class, Map.of("checkpointInterval", 0)), "/etc", "/data", "n"));
        IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                () -> TrailSettings.from(defaults, "/etc", "/data", "../escape"));
        assertTrue(badName.getMessage().contains("nodeName"), badName.getMessage());
    }
}
