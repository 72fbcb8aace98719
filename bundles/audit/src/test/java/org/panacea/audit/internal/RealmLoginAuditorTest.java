package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.testsupport.RecordingAuditTrail;

class RealmLoginAuditorTest {

    @TempDir
    Path folder;

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final RealmLoginAuditor auditor = new RealmLoginAuditor(trail, null);

    /** Waits at most 10 s for what the auditor's own thread does. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static Event login(String type, String user, Subject subject) {
        return new Event("org/apache/karaf/login/" + type, Map.of("type", type, "username", user, "subject", subject));
    }

    @Test
    void successesAndFailuresAreAuditedWithTheClientAddress() {
        Subject ssh = new Subject();
        ssh.getPrincipals().add(new ClientPrincipal("ssh", "10.0.0.5:50122"));
        ssh.getPrincipals().add(new RolePrincipal("clinician"));
        ssh.getPrincipals().add(new RolePrincipal("ssh"));
        auditor.handleEvent(login("success", "clinician", ssh));
        auditor.handleEvent(login("failure", "mallory", new Subject()));
        auditor.close();

        assertEquals(2, trail.events().size());
        AuditEvent success = trail.events().get(0);
        assertEquals(AuditAction.LOGIN, success.action());
        assertEquals(AuditOutcome.SUCCESS, success.outcome());
        assertEquals("clinician", success.actor());
        assertEquals("clinician", success.role());
        assertEquals("ssh:10.0.0.5:50122", success.clientAddress());
        AuditEvent failure = trail.events().get(1);
        assertEquals(AuditOutcome.DENIED, failure.outcome());
        assertEquals("mallory", failure.actor());
        assertEquals("unknown", failure.clientAddress());
    }

    @Test
    void attemptsAndLogoutsAreNotEntries() {
        auditor.handleEvent(login("attempt", "clinician", new Subject()));
        auditor.handleEvent(login("logout", "clinician", new Subject()));
        auditor.close();
        assertEquals(0, trail.events().size());
    }

    @Test
    void aLoginTheTrailCannotRecordIsCountedAsLostNotDropped() throws Exception {
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor counting = new RealmLoginAuditor(trail, journal);
            trail.failing(true);

            counting.handleEvent(login("failure", "mallory", new Subject()));
            awaitTrue(() -> !journal.unrecordedLost().isEmpty()); // the trail failed it, before it goes away
            counting.unbindTrail(trail);
            counting.handleEvent(login("success", "clinician", new Subject()));
            counting.close();

            assertEquals(Map.of(LostEventSource.LOGIN, 2L), journal.unrecordedLost(),
                    "lost while the trail failed, and while it was gone");
            String file = Files.readString(folder.resolve("anchors").resolve("node-a.anchors"));
            assertTrue(file.contains(" lost 0 ") && file.contains("actor=mallory") && file.contains("source=login"),
                    file);
        }
    }

    @Test
    void onAFirstStartLoginsWaitForTheTrailInsteadOfCountingAsLost() {
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor starting = new RealmLoginAuditor(null, journal);

            starting.handleEvent(login("success", "admin", new Subject()));
            starting.close();
            assertEquals(Map.of(), journal.unrecordedLost());
            assertEquals(0, trail.events().size());

            starting.bindTrail(trail);
            assertEquals(1, trail.events().size(), "recorded once the trail is up");
            assertEquals("admin", trail.events().get(0).actor());
        }
    }

    @Test
    void onALaterStartLoginsBeforeTheTrailAreCountedAsLost() {
        try (AnchorJournal before = Journals.open(folder, "node-a")) {
            before.anchor(AnchorKind.HEAD, 7, "a".repeat(64)).orElseThrow();
        }
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor restarted = new RealmLoginAuditor(null, journal);

            restarted.handleEvent(login("failure", "mallory", new Subject()));
            restarted.close();

            assertEquals(Map.of(LostEventSource.LOGIN, 1L), journal.unrecordedLost(),
                    "the trail ran here before: the database may be down, and the loss must not go unnoticed");
        }
    }

    /** A trail whose every record waits until {@link #release()}, as one waiting for a slow or locked database. */
    private static final class StalledTrail implements AuditTrail {
        final RecordingAuditTrail recorded = new RecordingAuditTrail();
        private final CountDownLatch released = new CountDownLatch(1);

        void release() {
            released.countDown();
        }

        @Override
        public AuditEntry record(AuditEvent event) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditException("interrupted (test)", e);
            }
            return recorded.record(event);
        }

        @Override
        public List<AuditEntry> search(AuditQuery query) {
            return recorded.search(query);
        }

        @Override
        public AuditVerification verify() {
            return recorded.verify();
        }
    }

    /**
     * EventAdmin denies every later event to a handler that once took longer than its timeout (5 s): a handler that
     * waits for the trail's commit would stop auditing logins for good after one slow commit. The handler returns at
     * once however long the trail takes, and the logins are recorded in their order once it answers.
     */
    @Test
    void aLoginIsHandedOffAtOnceWhileTheTrailStalls() {
        StalledTrail stalled = new StalledTrail();
        RealmLoginAuditor handedOff = new RealmLoginAuditor(stalled, null);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                for (int i = 1; i <= 5; i++) {
                    handedOff.handleEvent(login("failure", "nurse-" + i, new Subject()));
                }
            }, "the EventAdmin thread waited for the audit trail");
        } finally {
            stalled.release();
        }
        handedOff.close();

        assertEquals(List.of("nurse-1", "nurse-2", "nurse-3", "nurse-4", "nurse-5"),
                stalled.recorded.events().stream().map(AuditEvent::actor).toList(), "all recorded, in order");
    }

    @Test
    void aLoginBeyondTheWaitingOnesIsCountedAsLost() throws Exception {
        StalledTrail stalled = new StalledTrail();
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor queueing = new RealmLoginAuditor(stalled, journal, 2, Duration.ofSeconds(10));
            try {
                // The first is being recorded, the next two wait, the fourth finds no room.
                for (String user : List.of("a", "b", "c", "mallory")) {
                    queueing.handleEvent(login("failure", user, new Subject()));
                }
                assertEquals(Map.of(LostEventSource.LOGIN, 1L), journal.unrecordedLost());
            } finally {
                stalled.release();
            }
            queueing.close();

            assertEquals(List.of("a", "b", "c"), stalled.recorded.events().stream().map(AuditEvent::actor).toList());
            assertTrue(Files.readString(folder.resolve("anchors").resolve("node-a.anchors")).contains("actor=mallory"));
        }
    }

    @Test
    void loginsStillWaitingWhenItStopsAreCountedAsLost() throws Exception {
        StalledTrail stalled = new StalledTrail();
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor stopping = new RealmLoginAuditor(stalled, journal, 100, Duration.ofMillis(200));
            try {
                for (String user : List.of("a", "b", "c")) {
                    stopping.handleEvent(login("success", user, new Subject()));
                }
                stopping.close();

                assertEquals(Map.of(LostEventSource.LOGIN, 2L), journal.unrecordedLost(),
                        "the two that never reached the trail; the one it holds is its own to record");
                stopping.handleEvent(login("success", "late", new Subject()));
                assertEquals(Map.of(LostEventSource.LOGIN, 3L), journal.unrecordedLost(), "after stopping");
            } finally {
                stalled.release();
            }
            awaitTrue(() -> !stalled.recorded.events().isEmpty());
            assertEquals(List.of("a"), stalled.recorded.events().stream().map(AuditEvent::actor).toList());
        }
    }
}
