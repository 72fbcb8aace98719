package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

class RealmLoginAuditorTest {

    private final RecordingTrail trail = new RecordingTrail();
    private final RealmLoginAuditor auditor = new RealmLoginAuditor(trail);

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

        assertEquals(2, trail.events.size());
        AuditEvent success = trail.events.get(0);
        assertEquals(AuditAction.LOGIN, success.action());
        assertEquals(AuditOutcome.SUCCESS, success.outcome());
        assertEquals("clinician", success.actor());
        assertEquals("clinician", success.role());
        assertEquals("ssh:10.0.0.5:50122", success.clientAddress());
        AuditEvent failure = trail.events.get(1);
        assertEquals(AuditOutcome.DENIED, failure.outcome());
        assertEquals("mallory", failure.actor());
        assertEquals("unknown", failure.clientAddress());
    }

    @Test
    void attemptsAndLogoutsAreNotEntries() {
        auditor.handleEvent(login("attempt", "clinician", new Subject()));
        auditor.handleEvent(login("logout", "clinician", new Subject()));
        assertEquals(0, trail.events.size());
    }
}
