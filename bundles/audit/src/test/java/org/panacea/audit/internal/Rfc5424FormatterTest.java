package org.panacea.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

class Rfc5424FormatterTest {

    private static final String HASH = "0123456789abcdef".repeat(4);

    @Test
    void formatsOneRfc5424LineWithStructuredData() {
        AuditEntry entry = entry("alice", AuditOutcome.SUCCESS, "p-1", Instant.parse("2024-05-01T10:00:00.123456Z"));

        assertEquals("<85>1 2024-05-01T10:00:00.123456Z host-1 panacea - AUDIT [panacea@32473 seq=\"42\""
                + " actor=\"alice\" action=\"READ\" outcome=\"SUCCESS\" resourceType=\"Patient\" resourceId=\"p-1\""
                + " patient=\"p-1\" hash=\"" + HASH + "\"]",
                new Rfc5424Formatter("host-1").format(entry));
    }

    @Test
    void padsTimeToMicrosecondsInUtc() {
        AuditEntry entry = entry("alice", AuditOutcome.SUCCESS, "p-1", Instant.parse("2024-05-01T10:00:00Z"));

        assertEquals("<85>1 2024-05-01T10:00:00.000000Z",
                new Rfc5424Formatter("h").format(entry).substring(0, "<85>1 2024-05-01T10:00:00.000000Z".length()));
    }

    @Test
    void escapesQuoteBackslashAndClosingBracket() {
        assertEquals("a\\\"b\\\\c\\]d[e", Rfc5424Formatter.escapeParamValue("a\"b\\c]d[e"));
        assertEquals("line?break?tab", Rfc5424Formatter.escapeParamValue("line\nbreak\ttab"));
        assertEquals("Zoë", Rfc5424Formatter.escapeParamValue("Zoë"));

        String line = new Rfc5424Formatter("h").format(entry("evil\"] x=\"y", AuditOutcome.SUCCESS, "p]1",
                Instant.parse("2024-05-01T10:00:00Z")));
        assertTrue(line.contains(" actor=\"evil\\\"\\] x=\\\"y\" "), line);
        assertTrue(line.contains(" patient=\"p\\]1\" "), line);
    }

    @Test
    void priorityIsFacilityTenWithSeverityByOutcome() {
        assertEquals(85, Rfc5424Formatter.priority(AuditOutcome.SUCCESS));
        assertEquals(84, Rfc5424Formatter.priority(AuditOutcome.DENIED));
        assertEquals(84, Rfc5424Formatter.priority(AuditOutcome.FAILURE));
        assertEquals(83, Rfc5424Formatter.priority(AuditOutcome.ERROR));
    }

    @Test
    void hostnameIsPrintableAsciiOrTheNilValue() {
        AuditEntry entry = entry("a", AuditOutcome.SUCCESS, "", Instant.parse("2024-05-01T10:00:00Z"));

        assertTrue(new Rfc5424Formatter("my host\n").format(entry).contains("Z myhost panacea - AUDIT "),
                "spaces and control characters are dropped");
        assertTrue(new Rfc5424Formatter("").format(entry).contains("Z - panacea - AUDIT "), "nothing left: nil value");
    }

    static AuditEntry entry(String actor, AuditOutcome outcome, String patient, Instant time) {
        String digest = new EntryHasher().digestDetails("secret details");
        AuditEvent event = new AuditEvent(actor, "clinician", AuditAction.READ, "Patient", patient, patient, outcome,
                "10.0.0.1", digest);
        return new AuditEntry(42, time, event, digest, EntryHasher.GENESIS_HASH, HASH);
    }
}
