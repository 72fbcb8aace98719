package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.testsupport.RecordingAuditTrail;

class RealmLoginAuditorTest {

    @TempDir
    Path folder;

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final RealmLoginAuditor auditor = new RealmLoginAuditor(trail, null);

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
        assertEquals(0, trail.events().size());
    }

    @Test
    void aLoginTheTrailCannotRecordIsCountedAsLostNotDropped() throws Exception {
        try (AnchorJournal journal = Journals.open(folder, "node-a")) {
            RealmLoginAuditor counting = new RealmLoginAuditor(trail, journal);
            trail.failing(true);

            counting.handleEvent(login("failure", "mallory", new Subject()));
            counting.unbindTrail(trail);
            counting.handleEvent(login("success", "clinician", new Subject()));

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

            assertEquals(Map.of(LostEventSource.LOGIN, 1L), journal.unrecordedLost(),
                    "the trail ran here before: the database may be down, and the loss must not go unnoticed");
        }
    }
}
