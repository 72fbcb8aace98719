package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.alerts.rules.Finding;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertAlreadyAcknowledgedException;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.alerts.UnknownAlertException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

/**
 * The alert table on a real database behind the auditor-only service: {@link DerbyStoredAlertsTest} on embedded Derby,
 * {@link PostgresStoredAlertsTest} on a PostgreSQL server, the two databases a hospital runs.
 */
abstract class StoredAlertsContract {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private DataSource dataSource;
    private AlertStore store;
    private RecordingAuditTrail audit;
    private StoredAlerts alerts;
    private Callers callers;
    private Caller auditor;
    private Caller clinician;

    /** A database without the alert table. */
    abstract DataSource emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        dataSource = emptyDatabase();
        store = new AlertStore(dataSource);
        audit = new RecordingAuditTrail();
        callers = new Callers();
        alerts = new StoredAlerts(store, new RolePolicy(callers, audit), audit, new TestEncryption(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        auditor = callers.user("auditor", Role.AUDITOR, "10.0.0.5");
        clinician = callers.user("dr-who", Role.CLINICIAN, "10.0.0.6");
    }

    private Alert raise(String actor, String patient) throws Exception {
        return store.insert(new Finding(AlertRule.BULK_ACCESS, NOW.minusSeconds(60), actor, patient,
                actor + " opened 51 charts", 42), "node-a");
    }

    @Test
    void anAuditorListsNewestFirstAndAcknowledgesWithANoteThatIsAudited() throws Exception {
        Alert first = raise("dr-a", "p1");
        Alert second = raise("dr-b", "p2");
        assertTrue(second.id() > first.id());

        List<Alert> open = alerts.list(auditor, true, 10);
        assertEquals(List.of(second.id(), first.id()), open.stream().map(Alert::id).toList());
        assertEquals("node-a", open.get(0).node());
        assertEquals(42, open.get(0).auditSequence());

        Alert acknowledged = alerts.acknowledge(auditor, first.id(), "  ward round, asked the head nurse  ");
        Alert.Acknowledgement ack = acknowledged.acknowledgement().orElseThrow();
        assertEquals("auditor", ack.by());
        assertEquals(NOW, ack.at());
        assertEquals("ward round, asked the head nurse", ack.note());

        AuditEvent audited = audit.last();
        assertEquals(AuditAction.ALERT_ACKNOWLEDGED, audited.action());
        assertEquals("auditor", audited.actor());
        assertEquals(Long.toString(first.id()), audited.resourceId());
        assertEquals("p1", audited.patientId());

        assertEquals(List.of(second.id()), alerts.list(auditor, true, 10).stream().map(Alert::id).toList());
        assertEquals(2, alerts.list(auditor, false, 10).size());
        assertEquals(1, alerts.list(auditor, false, 1).size());
    }

    @Test
    void theNoteIsStoredSealed() throws Exception {
        Alert alert = raise("dr-a", "p1");
        alerts.acknowledge(auditor, alert.id(), "Mrs Elisabeth Brunner is his neighbour");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ACK_NOTE FROM PANACEA_ALERT")) {
            assertTrue(rows.next());
            assertFalse(rows.getString(1).contains("Brunner"));
        }
        assertEquals("Mrs Elisabeth Brunner is his neighbour",
                alerts.list(auditor, false, 5).get(0).acknowledgement().orElseThrow().note());
    }

    @Test
    void aClinicianIsRefusedBothAndTheRefusalIsAudited() throws Exception {
        Alert alert = raise("dr-a", "p1");
        assertThrows(AccessDeniedException.class, () -> alerts.list(clinician, true, 10));
        assertEquals(AuditAction.ACCESS_DENIED, audit.last().action());
        assertThrows(AccessDeniedException.class, () -> alerts.acknowledge(clinician, alert.id(), "nothing to see"));
        assertEquals(AuditAction.ACCESS_DENIED, audit.last().action());
        assertTrue(alerts.list(auditor, true, 10).get(0).open(), "still open");
    }

    @Test
    void aCallerTheSecurityBundleDidNotIssueIsRefused() throws Exception {
        Caller forged = new Caller("auditor", java.util.Set.of(Role.AUDITOR), "10.0.0.5");
        assertThrows(AccessDeniedException.class, () -> alerts.list(forged, true, 10));
    }

    @Test
    void badAcknowledgementsChangeNothing() throws Exception {
        Alert alert = raise("dr-a", "p1");
        assertThrows(UnknownAlertException.class, () -> alerts.acknowledge(auditor, alert.id() + 1000, "note"));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> alerts.acknowledge(auditor, alert.id(), "   "));
        assertTrue(blank.getMessage().contains("note"));
        assertThrows(IllegalArgumentException.class, () -> alerts.acknowledge(auditor, alert.id(), "x".repeat(1001)));
        assertThrows(IllegalArgumentException.class, () -> alerts.list(auditor, true, 0));
        assertTrue(alerts.list(auditor, true, 10).get(0).open());

        alerts.acknowledge(auditor, alert.id(), "first");
        AlertAlreadyAcknowledgedException twice = assertThrows(AlertAlreadyAcknowledgedException.class,
                () -> alerts.acknowledge(auditor, alert.id(), "second"));
        assertTrue(twice.getMessage().contains("acknowledged by auditor"), twice.getMessage());
        assertEquals("first", alerts.list(auditor, false, 5).get(0).acknowledgement().orElseThrow().note());
    }

    @Test
    void aSecondStoreOnTheSameDatabaseSeesTheSameAlerts() throws Exception {
        Alert alert = raise("dr-a", "p1");
        AlertStore otherNode = new AlertStore(dataSource);
        assertEquals(alert.id(), otherNode.list(true, 5).get(0).id());
    }
}
