package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.security.FileRefusedException;

/** Every way out of the import folder an outsider would try, each refused without a byte of the target read. */
class ConfinedImportFolderTest {

    private static final String SECRET = "keystore-passphrase-4711";

    @TempDir
    Path server;

    private Path secret;
    private ConfinedImportFolder imports;

    @BeforeEach
    void layOut() throws Exception {
        secret = Files.writeString(Files.createDirectories(server.resolve("etc")).resolve("passphrase"), SECRET);
        imports = new ConfinedImportFolder(server.resolve("data/import"));
        Files.writeString(imports.folder().resolve("cohort.csv"), "time,status\n1,0\n");
        Files.createDirectories(imports.folder().resolve("studies/ct"));
    }

    @Test
    void filesInsideAreReadRelativeOrAbsolute() throws Exception {
        try (InputStream in = imports.open("cohort.csv")) {
            assertArrayEquals("time,status\n1,0\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertEquals(imports.folder().resolve("cohort.csv"),
                imports.resolve(imports.folder().resolve("cohort.csv").toString()));
        assertEquals(imports.folder().resolve("studies/ct"), imports.resolve("studies/./ct"));
    }

    @Test
    void pathsLeavingTheFolderAreRefusedWithoutLookingThemUp() {
        for (String attempt : new String[] { "../../etc/passphrase", secret.toString(), "/etc/passwd",
            "studies/../../../etc/passphrase", "..", "/" }) {
            FileRefusedException refused = assertThrows(FileRefusedException.class, () -> imports.open(attempt),
                    attempt);
            assertTrue(refused.getMessage().contains("outside the import folder"), refused.getMessage());
            assertFalse(refused.getMessage().contains(SECRET));
        }
        // a missing file outside gets the same answer as an existing one: no probing the server's files
        assertEquals(assertThrows(FileRefusedException.class, () -> imports.resolve("/etc/nothing-here")).getMessage()
                .replace("/etc/nothing-here", "X"),
                assertThrows(FileRefusedException.class, () -> imports.resolve("/etc/passwd")).getMessage()
                        .replace("/etc/passwd", "X"));
    }

    @Test
    void linksInsideTheFolderAreNotFollowed() throws Exception {
        Files.createSymbolicLink(imports.folder().resolve("innocent.csv"), secret);
        Files.createSymbolicLink(imports.folder().resolve("etc-link"), secret.getParent());

        FileRefusedException file = assertThrows(FileRefusedException.class, () -> imports.open("innocent.csv"));
        assertTrue(file.getMessage().contains("symbolic link"), file.getMessage());
        FileRefusedException folder = assertThrows(FileRefusedException.class,
                () -> imports.open("etc-link/passphrase"));
        assertTrue(folder.getMessage().contains("symbolic link"), folder.getMessage());
        assertFalse(folder.getMessage().contains(SECRET));
    }

    @Test
    void missingFilesDirectoriesAndBlankPathsAreNamed() {
        assertTrue(assertThrows(FileRefusedException.class, () -> imports.open("missing.csv")).getMessage()
                .contains("does not exist"));
        assertTrue(assertThrows(FileRefusedException.class, () -> imports.open("studies")).getMessage()
                .contains("not a regular file"));
        assertThrows(FileRefusedException.class, () -> imports.resolve(" "));
        assertThrows(FileRefusedException.class, () -> imports.resolve("bad\0name"));
    }
}
