package org.panacea.audit.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;

/** A console session that captures output, and a trail that answers with fixed results and keeps the queries. */
final class ConsoleFixture {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final List<AuditQuery> queries = new ArrayList<>();
    List<AuditEntry> searchResult = List.of();
    /** {@code null} makes verify() fail as with the database down. */
    AuditVerification verification = new AuditVerification(true, 0, 0, "");

    final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Session.class}, (proxy, method, arguments) -> {
                if (method.getName().equals("getConsole")) {
                    return console;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    final AuditTrail trail = new AuditTrail() {
        @Override
        public AuditEntry record(AuditEvent event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AuditEntry> search(AuditQuery query) {
            queries.add(query);
            return searchResult;
        }

        @Override
        public AuditVerification verify() {
            if (verification == null) {
                throw new AuditException("database down (test)", null);
            }
            return verification;
        }
    };

    /** What was printed, line by line. */
    List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    static AuditEntry entry(long sequence, String actor, String patient) {
        AuditEvent event = new AuditEvent(actor, "clinician", AuditAction.READ, "Patient", patient, patient,
                AuditOutcome.SUCCESS, "10.0.0.7", "d".repeat(64));
        return new AuditEntry(sequence, Instant.parse("2024-05-01T10:00:00.123456Z").plusSeconds(sequence), event,
                "d".repeat(64), "0".repeat(64), "3fa1b2c3d4e5f60718293a4b5c6d7e8f".repeat(2));
    }
}
