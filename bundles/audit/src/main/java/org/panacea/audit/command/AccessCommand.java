package org.panacea.audit.command;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.audit.report.PatientAccessReport;

/**
 * {@code audit:access Patient/ID [-n N]}: who opened a patient's chart, when and why, from the audit trail: one line
 * per user and way of access, the most recent first:
 * {@code clinician as clinician: 12 entries 2026-12-07T08:01:02Z..2026-12-07T09:15:00Z READ,SEARCH from 10.0.0.7}.
 */
@Command(scope = "audit", name = "access", description = "Who opened a patient's chart, when and why (privacy report)")
@Service
public class AccessCommand implements Action {

    @Reference
    AuditTrail trail;

    @Reference
    Session session;

    @Argument(index = 0, name = "patient", required = true, description = "Patient/<logical id>, or the id alone")
    String patient;

    @Option(name = "-n", aliases = "--limit", description = "Most audit entries to read, newest first (at least 1)")
    int limit = 5000;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        String id = patient.strip().startsWith("Patient/") ? patient.strip().substring("Patient/".length())
                : patient.strip();
        if (id.isEmpty() || id.contains("/")) {
            console.println("patient: '" + patient + "' is not Patient/<id>");
            return null;
        }
        if (limit < 1) {
            console.println("-n: must be at least 1, was " + limit);
            return null;
        }
        PatientAccessReport report = PatientAccessReport.of(id,
                trail.search(new AuditQuery(id, null, null, null, null, limit)), limit);
        console.println("Patient/" + id + ": " + report.accesses().size() + " users and ways of access in "
                + report.entries() + " audit entries" + (report.truncated() ? " (the newest " + limit
                + " only; raise -n for older ones)" : ""));
        for (PatientAccessReport.Access access : report.accesses()) {
            console.println(access.user() + " " + access.why() + ": " + access.count() + (access.count() == 1
                    ? " entry " : " entries ") + access.first().truncatedTo(ChronoUnit.SECONDS) + ".."
                    + access.last().truncatedTo(ChronoUnit.SECONDS) + " " + String.join(",", access.actions())
                    + " from " + String.join(",", access.from()));
        }
        return null;
    }
}
