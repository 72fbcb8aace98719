package org.panacea.audit.command;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * {@code audit:search [--patient P] [--actor A] [--action ACTION] [--from ISO] [--to ISO] [-n N]}: matching entries,
 * newest first, one per line. Bad input prints one message naming the option and searches nothing.
 */
@Command(scope = "audit", name = "search", description = "Searches the audit trail, newest entries first")
@Service
public class SearchCommand implements Action {

    @Reference
    AuditTrail trail;

    @Reference
    Session session;

    @Option(name = "--patient", description = "Logical id of the patient concerned")
    String patient;

    @Option(name = "--actor", description = "Who acted (login name or system:<component>)")
    String actor;

    @Option(name = "--action", description = "What was done, e.g. READ, UPDATE, PLUGIN_INSTALLED")
    String action;

    @Option(name = "--from", description = "Earliest time, inclusive, ISO-8601 (2024-05-01T10:00:00Z or 2024-05-01)")
    String from;

    @Option(name = "--to", description = "Latest time, exclusive, ISO-8601")
    String to;

    @Option(name = "-n", aliases = "--limit", description = "Most entries to show (at least 1)")
    int limit = 50;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        AuditQuery query;
        try {
            query = query();
        } catch (IllegalArgumentException e) {
            console.println(e.getMessage());
            return null;
        }
        for (AuditEntry entry : trail.search(query)) {
            console.println(EntryLine.format(entry));
        }
        return null;
    }

    private AuditQuery query() {
        if (limit < 1) {
            throw new IllegalArgumentException("-n: must be at least 1, was " + limit);
        }
        Instant start = from == null ? null : IsoTimeArgument.parse("--from", from);
        Instant end = to == null ? null : IsoTimeArgument.parse("--to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new IllegalArgumentException("--from: " + from + " is not before --to " + to);
        }
        return new AuditQuery(blankToNull(patient), blankToNull(actor), action == null ? null : parseAction(action),
                start, end, limit);
    }

    private static AuditAction parseAction(String text) {
        try {
            return AuditAction.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--action: unknown action '" + text + "'; one of "
                    + Arrays.toString(AuditAction.values()), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
