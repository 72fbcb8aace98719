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
    void settingsDefaultTheKeyFileToKarafEtc() {
        AuditTrailConfig defaults = ConfigProxy.of(AuditTrailConfig.class, Map.of());
        AuditTrailConfig explicit = ConfigProxy.of(AuditTrailConfig.class,
                Map.of("keyFile", "/secure/audit.key", "checkpointInterval", 7));

        assertEquals(Path.of("/opt/panacea/etc", "panacea-audit.key"),
                TrailSettings.from(defaults, "/opt/panacea/etc").keyFile());
        assertEquals(1000, TrailSettings.from(defaults, "/opt/panacea/etc").checkpointInterval());
        assertEquals(Path.of("/secure/audit.key"), TrailSettings.from(explicit, null).keyFile());
        assertEquals(7, TrailSettings.from(explicit, null).checkpointInterval());
        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(defaults, null));
        assertThrows(IllegalArgumentException.class, () -> TrailSettings.from(
                ConfigProxy.of(AuditTrailConfig.class, Map.of("checkpointInterval", 0)), "/etc"));
    }
}
