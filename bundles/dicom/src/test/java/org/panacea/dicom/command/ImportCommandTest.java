package org.panacea.dicom.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomReader;

/**
 * {@code imaging:import}: the permission check comes first, every path and file goes through the import folder,
 * and no refusal prints what a file holds.
 */
class ImportCommandTest {

    private static final String SECRET = "root:$6$saltsalt$SECRET-HASH-7f3a9:19000:0:99999:7:::";

    @TempDir
    Path root;

    private Path folder;
    private Path outside;
    private final ImageArchive archive = mock(ImageArchive.class);
    private final AccessPolicy policy = mock(AccessPolicy.class);
    private final CallerAuthentication authentication = mock(CallerAuthentication.class);
    private final List<String> opened = new ArrayList<>();
    private final List<String> resolved = new ArrayList<>();
    private final List<byte[]> stored = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Caller user = new Caller("dr.grey", Set.of(Role.CLINICIAN), "console");

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectories(root.resolve("data/import")).toRealPath();
        outside = Files.writeString(root.resolve("shadow"), SECRET);
        when(authentication.consoleUser()).thenAnswer(call -> user);
        when(archive.store(any(), any())).thenAnswer(call -> {
            byte[] bytes = ((InputStream) call.getArgument(1)).readAllBytes();
            try {
                new DicomReader().read(new java.io.ByteArrayInputStream(bytes), -1);
            } catch (DicomFormatException e) {
                throw new InvalidImageException(e.getMessage(), e);
            }
            stored.add(bytes);
            return new ArchivedInstance("p", "study-1", "1.2", "1.2.3", "1.2.3.4", "CT", 128, 128, 1, "");
        });
    }

    private ImportCommand command(String path) {
        ImportCommand command = new ImportCommand();
        command.archive = archive;
        command.authentication = authentication;
        command.policy = policy;
        command.importFolder = new ConfinedFolder();
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(output, true, StandardCharsets.UTF_8));
        command.session = session;
        command.path = path;
        return command;
    }

    private String run(String path) throws IOException {
        command(path).execute();
        return output.toString(StandardCharsets.UTF_8);
    }

    private static byte[] ct() throws IOException {
        try (InputStream in = ImportCommandTest.class.getResourceAsStream("/dicom/CT_small.dcm")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aUserWithoutPermissionIsRefusedBeforeAnyPathIsResolvedOrFileRead() throws IOException {
        Files.write(folder.resolve("ct.dcm"), ct());
        user = new Caller("ada", Set.of(Role.RESEARCHER), "console");
        doThrow(new AccessDeniedException(AccessDecision.deny("researchers may not store images")))
                .when(policy).require(eq(user), eq(Operation.CREATE), eq("ImagingStudy"));
        String printed = run("ct.dcm");
        assertTrue(printed.contains("refused: researchers may not store images"), printed);
        assertEquals(List.of(), resolved);
        assertEquals(List.of(), opened);
        assertEquals(List.of(), stored);
    }

    @Test
    void filesOfTheImportFolderAreStoredThroughIt() throws IOException {
        byte[] ct = ct();
        Files.createDirectories(folder.resolve("study/series"));
        Files.write(folder.resolve("study/series/ct.dcm"), ct);
        String printed = run("study");
        assertTrue(printed.contains("[1/1] study/series/ct.dcm: CT 128x128, 1 frame(s) -> ImagingStudy/study-1"),
                printed);
        assertTrue(printed.contains("1 of 1 files stored (" + ct.length / 1024 + " KiB)"), printed);
        assertEquals(List.of("study"), resolved);
        assertEquals(List.of("study/series/ct.dcm"), opened);
        assertEquals(1, stored.size());
    }

    @Test
    void aPathOutsideTheImportFolderIsRefusedAndNothingIsRead() throws IOException {
        for (String path : List.of(outside.toString(), "../../shadow", "/etc/passwd")) {
            output.reset();
            String printed = run(path);
            assertTrue(printed.startsWith("refused: " + path + ": outside the import folder"), printed);
            assertFalse(printed.contains("SECRET"), printed);
        }
        assertEquals(List.of(), opened);
        assertEquals(List.of(), stored);
    }

    @Test
    void aLinkInsideTheImportFolderIsRefusedNotFollowed() throws IOException {
        Files.write(folder.resolve("a-ct.dcm"), ct());
        Files.createSymbolicLink(folder.resolve("b-link.dcm"), outside);
        String printed = run(".");
        assertTrue(printed.contains("b-link.dcm: refused: b-link.dcm: a symbolic link"), printed);
        assertTrue(printed.contains("1 of 2 files stored"), printed);
        assertFalse(printed.contains("SECRET"), printed);
        assertEquals(1, stored.size());
    }

    @Test
    void aFileThatIsNotDicomIsRefusedWithoutItsContentPrinted() throws IOException {
        // Non-DICOM text, and a Part 10 header around the secret where a code string belongs.
        Files.writeString(folder.resolve("notes.txt"), SECRET);
        byte[] preamble = new byte[132];
        preamble[128] = 'D';
        preamble[129] = 'I';
        preamble[130] = 'C';
        preamble[131] = 'M';
        ByteArrayOutputStream crafted = new ByteArrayOutputStream();
        crafted.writeBytes(preamble);
        crafted.writeBytes(new byte[] { 2, 0, 0x10, 0, 'U', 'I' });
        byte[] value = (SECRET + SECRET + SECRET + SECRET + SECRET).getBytes(StandardCharsets.US_ASCII);
        crafted.writeBytes(new byte[] { (byte) value.length, (byte) (value.length >> 8) });
        crafted.writeBytes(value);
        Files.write(folder.resolve("crafted.dcm"), crafted.toByteArray());
        String printed = run(".");
        assertTrue(printed.contains("notes.txt: refused, nothing stored: not a DICOM Part 10 file"), printed);
        assertTrue(printed.contains("crafted.dcm: refused, nothing stored:"), printed);
        assertTrue(printed.contains("0 of 2 files stored"), printed);
        assertFalse(printed.contains("SECRET-HASH"), printed);
        for (String line : printed.split("\n")) {
            assertTrue(line.length() < ImportCommand.MAX_REASON + 80, line);
        }
    }

    /** The import folder's rules as the security bundle states them: inside the folder, no links, names as given. */
    private final class ConfinedFolder implements ImportFolder {

        @Override
        public Path folder() {
            return folder;
        }

        @Override
        public Path resolve(String path) {
            resolved.add(path);
            Path candidate = folder.resolve(path).normalize();
            if (!candidate.startsWith(folder)) {
                throw new FileRefusedException(path + ": outside the import folder");
            }
            for (Path step = candidate; !step.equals(folder); step = step.getParent()) {
                if (Files.isSymbolicLink(step)) {
                    throw new FileRefusedException(path + ": a symbolic link");
                }
            }
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileRefusedException(path + ": no such file or folder in the import folder");
            }
            return candidate;
        }

        @Override
        public InputStream open(String path) throws IOException {
            opened.add(path);
            Path file = resolve(path);
            resolved.remove(resolved.size() - 1);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileRefusedException(path + ": not a regular file");
            }
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
