package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;

/** The anchor file on its own: sealed, chained, append-only lines, and the lost-event count it keeps. */
class AnchorJournalTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @TempDir
    Path folder;

    private Path file(String node) {
        return folder.resolve("anchors").resolve(node + ".anchors");
    }

    @Test
    void appendsSealedNumberedLinesThatReadBackAndContinueAfterARestart() throws Exception {
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            AnchorLine first = journal.anchor(AnchorKind.CHECKPOINT, 1000, HASH_A).orElseThrow();
            journal.anchor(AnchorKind.HEAD, 1042, HASH_B).orElseThrow();
            assertEquals(1, first.index());
            assertEquals(first.format() + "\n", Files.readAllLines(file("node-a")).get(0) + "\n");
        }
        try (AnchorJournal reopened = Journals.open(folder, "node-a")) {
            AnchorLine third = reopened.anchor(AnchorKind.HEAD, 1100, HASH_A).orElseThrow();
            assertEquals(3, third.index(), "a restart continues the numbering");

            List<AnchorFiles.FileContent> files = reopened.readAll();
            assertEquals(1, files.size());
            assertNull(files.get(0).problem(), files.get(0).problem());
            assertEquals(List.of(1000L, 1042L, 1100L),
                    files.get(0).lines().stream().map(AnchorLine::sequence).toList());
            assertEquals(List.of(AnchorKind.CHECKPOINT, AnchorKind.HEAD, AnchorKind.HEAD),
                    files.get(0).lines().stream().map(AnchorLine::kind).toList());
        }
    }

    @Test
    void anEditedLineIsFoundAndNamed() throws Exception {
        writeLines("node-a", 3);
        List<String> lines = Files.readAllLines(file("node-a"));
        // Someone moves the anchored entry's number back, as a rollback would need.
        lines.set(1, lines.get(1).replaceFirst(" head 2 ", " head 1 "));
        Files.write(file("node-a"), lines);

        AnchorFiles.FileContent content = readOnly("node-a");

        assertEquals(2, content.problemLine());
        assertTrue(content.problem().contains("line 2 of node-a.anchors") && content.problem().contains("edited"),
                content.problem());
        assertEquals(1, content.lines().size(), "nothing after the edited line is trusted");
    }

    @Test
    void aRemovedLineALineFromAnotherNodeAndAForeignKeyAreFound() throws Exception {
        writeLines("node-a", 3);
        writeLines("node-b", 2);
        List<String> lines = Files.readAllLines(file("node-a"));

        Files.write(file("node-a"), List.of(lines.get(0), lines.get(2)));
        assertTrue(readOnly("node-a").problem().contains("numbered 3: lines before it were removed"),
                readOnly("node-a").problem());

        Files.write(file("node-a"), List.of(Files.readAllLines(file("node-b")).get(0)));
        assertTrue(readOnly("node-a").problem().contains("does not verify"), "lines are bound to their node");

        Files.write(file("node-a"), lines);
        CheckpointSealer otherKey = new CheckpointSealer(new byte[32]);
        assertTrue(AnchorFiles.read(file("node-a"), "node-a", otherKey).problem().contains("does not verify"));
    }

    @Test
    void aLineTornByACrashIsCutOffAtTheNextStartAndNeverReportedAsTampering() throws Exception {
        writeLines("node-a", 2);
        Files.writeString(file("node-a"), "3 head 7 " + HASH_A.substring(0, 20), StandardOpenOption.APPEND);

        assertNull(readOnly("node-a").problem(), "an unfinished last line is left out");
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            assertEquals(3, journal.anchor(AnchorKind.HEAD, 3, HASH_B).orElseThrow().index());
        }
        AnchorFiles.FileContent content = readOnly("node-a");
        assertNull(content.problem(), content.problem());
        assertEquals(3, content.lines().size());
    }

    @Test
    void aSecondRunningNodeOfTheSameNameIsRefused() {
        try (AnchorJournal first = Journals.open(folder, "node-a")) {
            AuditException refused = assertThrows(AuditException.class, () -> Journals.open(folder, "node-a"));
            assertTrue(refused.getMessage().contains("karaf.name"), refused.getMessage());
            Journals.open(folder, "node-b").close();
        }
        Journals.open(folder, "node-a").close();
    }

    @Test
    void countsLostEventsDurablyUntilAGapEntryAccountsForThem() throws Exception {
        AuditEvent login = new AuditEvent("mallory", "", AuditAction.LOGIN, "", "", "", AuditOutcome.DENIED, "ssh:x",
                "JAAS realm login failure");
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            journal.lost(LostEventSource.LOGIN, login);
            journal.lost(LostEventSource.LOGIN, login);
            journal.lost(LostEventSource.PLUGIN, login);
        }
        try (AnchorJournal restarted = Journals.open(folder, "node-a")) {
            assertEquals(Map.of(LostEventSource.LOGIN, 2L, LostEventSource.PLUGIN, 1L), restarted.unrecordedLost(),
                    "the count survives a restart with the database still down");
            AuditEntry gap = new AuditEntry(12, Instant.now(), new AuditEvent(HashChainedAuditTrail.ACTOR, "",
                    AuditAction.AUDIT_GAP, "", "", "", AuditOutcome.ERROR, "internal", ""), HASH_A, HASH_A, HASH_B);
            restarted.gapRecorded(gap, Map.of(LostEventSource.LOGIN, 2L));
            assertEquals(Map.of(LostEventSource.PLUGIN, 1L), restarted.unrecordedLost());
        }
        try (AnchorJournal again = Journals.open(folder, "node-a")) {
            assertEquals(Map.of(LostEventSource.PLUGIN, 1L), again.unrecordedLost());
            assertTrue(again.trailHasRun(), "an installation with anchor lines has run before");
        }
    }

    @Test
    void attributesSurviveAnyText() {
        CheckpointSealer sealer = new CheckpointSealer(new byte[32]);
        AnchorLine line = AnchorLine.seal(sealer, "node-a", 1, AnchorKind.EPOCH, 5, HASH_A,
                Instant.parse("2026-12-07T10:00:00.123456Z"),
                Map.of("reason", "restored 2026-12-01 backup, 100% = \"fine\"; Zürich", "actor", "admin"), "");

        AnchorLine parsed = AnchorLine.parse("node-a", line.format());

        assertEquals(line, parsed);
        assertTrue(parsed.isSealedAfter(sealer, ""));
        assertEquals(7, line.format().split(" ").length, line.format());
    }

    private void writeLines(String node, int count) {
        try (AnchorJournal journal = Journals.open(folder, node)) {
            for (int i = 1; i <= count; i++) {
                journal.anchor(AnchorKind.HEAD, i, i % 2 == 0 ? HASH_A : HASH_B).orElseThrow();
            }
        }
    }

    private AnchorFiles.FileContent readOnly(String node) throws Exception {
        List<AnchorFiles.FileContent> all = new ArrayList<>();
        try (AnchorJournal reader = Journals.open(folder, "reader")) {
            all.addAll(reader.readAll());
        }
        return all.stream().filter(content -> content.node().equals(node)).findFirst().orElseThrow();
    }
}
