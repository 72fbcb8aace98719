package org.panacea.records.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.records.internal.JpaPatientRecords;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code patient:import} reads only through the import folder, and only for someone who may write records. */
class ImportCommandTest {

    private static final Caller CLINICIAN = new Caller("dr.grey", Set.of(Role.CLINICIAN), "console");
    private static final Caller AUDITOR = new Caller("ann", Set.of(Role.AUDITOR), "console");

    @TempDir
    Path server;

    private Path importRoot;
    private RecordingFolder folder;
    private JpaPatientRecords records;
    private AccessPolicy policy;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        importRoot = Files.createDirectories(server.resolve("data/import"));
        folder = new RecordingFolder(importRoot.toRealPath());
        records = mock(JpaPatientRecords.class);
        when(records.create(any(Caller.class), any(ObjectNode.class))).thenReturn(new StoredResource("Patient", "p1",
                1, Instant.parse("2026-01-01T00:00:00Z"), "{}"));
        when(records.importBundle(any(Caller.class), any(ObjectNode.class))).thenReturn(new BundleOutcome(
                Map.of("urn:uuid:1", "Patient/p2"), List.of(), List.of()));
        policy = mock(AccessPolicy.class);
        when(policy.decide(any(), any(), any())).thenAnswer(call -> ((Caller) call.getArgument(0))
                .hasRole(Role.CLINICIAN) ? AccessDecision.allow("clinician") : AccessDecision.deny("roles [auditor] "
                        + "may not " + call.getArgument(1) + " " + call.getArgument(2)));
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [auditor] may not CREATE Bundle")))
                .when(policy).require(AUDITOR, Operation.CREATE, "Bundle");
    }

    private ImportCommand command(Caller caller, String path) {
        ImportCommand command = new ImportCommand();
        command.records = records;
        command.policy = policy;
        command.importFolder = folder;
        CallerAuthentication authentication = mock(CallerAuthentication.class);
        when(authentication.consoleUser()).thenReturn(caller);
        command.authentication = authentication;
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));
        command.session = session;
        command.path = path;
        return command;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCallerWhoMayWriteNothingIsRefusedBeforeAnyFileIsTouched() throws Exception {
        Files.writeString(importRoot.resolve("patient.json"), "{\"resourceType\":\"Patient\"}");
        command(AUDITOR, "patient.json").execute();
        assertTrue(output().startsWith("refused: roles [auditor] may not CREATE Bundle"), output());
        assertEquals(List.of(), folder.touched, "the import folder was not asked about any path");
        verify(policy).require(AUDITOR, Operation.CREATE, "Bundle");
        verifyNoInteractions(records);
    }

    @Test
    void aPathOutsideTheImportFolderIsRefusedAndNothingIsRead() throws Exception {
        Path secret = Files.writeString(server.resolve("secret.json"), "{\"resourceType\":\"Patient\",\"x\":\"k3y\"}");
        command(CLINICIAN, "../../secret.json").execute();
        assertTrue(output().contains("../../secret.json: outside the import folder"), output());
        command(CLINICIAN, secret.toString()).execute();
        assertTrue(output().contains(secret + ": outside the import folder"), output());
        assertFalse(output().contains("k3y"), output());
        assertEquals(List.of(), folder.opened, "nothing was opened");
        verifyNoInteractions(records);
    }

    @Test
    void aFileInTheImportFolderIsImportedThroughIt() throws Exception {
        Files.createDirectories(importRoot.resolve("today"));
        Files.writeString(importRoot.resolve("today/patient.json"), "{\"resourceType\":\"Patient\"}");
        command(CLINICIAN, "today/patient.json").execute();
        assertTrue(output().contains("[1/1] today/patient.json: Patient/p1 stored"), output());
        assertTrue(output().endsWith("1 of 1 files imported (1 resources)" + System.lineSeparator()), output());
        assertEquals(List.of("today/patient.json"), folder.opened);
        verify(records).create(eq(CLINICIAN), any(ObjectNode.class));
    }

    @Test
    void aFolderIsImportedFileByFileEachOpenedThroughTheImportFolder() throws Exception {
        Path batch = Files.createDirectories(importRoot.resolve("batch"));
        Files.writeString(batch.resolve("a.json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
        Files.writeString(batch.resolve("b.json"), "{\"resourceType\":\"Patient\"}");
        Files.writeString(batch.resolve("notes.txt"), "not imported");
        command(CLINICIAN, "batch").execute();
        assertEquals(List.of("batch/a.json", "batch/b.json"), folder.opened);
        verify(records, times(1)).importBundle(eq(CLINICIAN), any(ObjectNode.class));
        verify(records, times(1)).create(eq(CLINICIAN), any(ObjectNode.class));
        assertTrue(output().contains("2 of 2 files imported (2 resources)"), output());
    }

    @Test
    void whatIsPrintedAboutABadFileNeverRepeatsItsContent() throws Exception {
        Files.writeString(importRoot.resolve("shadow.json"), "root:$6$s3cr3tHash:19000:0:99999:7:::\n");
        Files.writeString(importRoot.resolve("almost.json"), "{\"resourceType\": \"Patient\", \"name\": hunter2}");
        command(CLINICIAN, "shadow.json").execute();
        command(CLINICIAN, "almost.json").execute();
        assertTrue(output().contains("shadow.json: refused, nothing stored: $: malformed JSON at line 1, column "),
                output());
        assertTrue(output().contains("almost.json: refused, nothing stored: $: malformed JSON at line 1, column "),
                output());
        for (String secret : List.of("root", "s3cr3t", "19000", "hunter2")) {
            assertFalse(output().contains(secret), secret + " echoed: " + output());
        }
        verify(records, never()).create(any(Caller.class), any(ObjectNode.class));
    }

    /**
     * The import folder's contract in miniature (the security bundle's implementation is tested there): paths are
     * resolved against the folder and refused outside it; every path asked about and every file opened is recorded.
     */
    static final class RecordingFolder implements ImportFolder {
        final Path root;
        final List<String> touched = new ArrayList<>();
        final List<String> opened = new ArrayList<>();

        RecordingFolder(Path root) {
            this.root = root;
        }

        @Override
        public Path folder() {
            return root;
        }

        @Override
        public Path resolve(String path) {
            touched.add(path);
            Path resolved = root.resolve(path).normalize();
            if (!resolved.startsWith(root)) {
                throw new FileRefusedException(path + ": outside the import folder");
            }
            if (!Files.exists(resolved)) {
                throw new FileRefusedException(path + ": no such file in the import folder");
            }
            return resolved;
        }

        @Override
        public InputStream open(String path) throws IOException {
            Path file = resolve(path);
            if (!Files.isRegularFile(file)) {
                throw new FileRefusedException(path + ": not a regular file");
            }
            opened.add(path);
            return Files.newInputStream(file);
        }
    }
}
