package org.panacea.audit.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/**
 * "Who opened this chart, when, why" for the privacy officer, from the audit entries about one patient: one line per
 * user and way of access (as a role, by breaking the glass, refused), with the first and last time, how many entries
 * and which actions. The platform's own work ({@code system:...}) is listed as such. "Why" is what the trail knows:
 * the role the user acted in, or that they broke the glass (their reason is kept as the entry's digest and in the
 * break-glass record), or that they were refused. Immutable.
 *
 * @param patientId the patient's logical id
 * @param accesses  one per user and way, the most recent first
 * @param entries   how many entries were read (at most the limit asked for)
 * @param truncated {@code true} when the limit was reached, so older accesses may be missing
 */
public record PatientAccessReport(String patientId, List<Access> accesses, int entries, boolean truncated) {

    /** Entries that are not an access to the chart (alerts about it are listed by alert:list). */
    private static final Set<AuditAction> NOT_ACCESS = EnumSet.of(AuditAction.ALERT_RAISED,
            AuditAction.ALERT_ACKNOWLEDGED);

    /**
     * @param entries the patient's entries, newest first, as {@code AuditTrail.search} returns them
     * @param limit   the limit they were searched with
     */
    public static PatientAccessReport of(String patientId, List<AuditEntry> entries, int limit) {
        Map<String, Builder> byUserAndWay = new LinkedHashMap<>();
        for (AuditEntry entry : entries) {
            AuditEvent event = entry.event();
            if (NOT_ACCESS.contains(event.action())) {
                continue;
            }
            String why = why(event);
            byUserAndWay.computeIfAbsent(event.actor() + "\u0000" + why, k -> new Builder(event.actor(), why))
                    .add(entry);
        }
        List<Access> accesses = new ArrayList<>();
        byUserAndWay.values().forEach(builder -> accesses.add(builder.build()));
        return new PatientAccessReport(patientId, List.copyOf(accesses), entries.size(), entries.size() >= limit);
    }

    private static String why(AuditEvent event) {
        if (event.action() == AuditAction.BREAK_GLASS) {
            return "break-glass";
        }
        if (event.outcome() == AuditOutcome.DENIED) {
            return "refused";
        }
        if (event.actor().startsWith("system:")) {
            return "platform";
        }
        return event.role().isEmpty() ? "no role recorded" : "as " + event.role();
    }

    /**
     * One user's accesses of one kind.
     *
     * @param user    login name (or {@code system:<component>})
     * @param why     {@code as <role>}, {@code break-glass}, {@code refused} or {@code platform}
     * @param first   earliest entry
     * @param last    latest entry
     * @param count   how many entries
     * @param actions which actions, sorted
     * @param from    the client addresses, sorted
     */
    public record Access(String user, String why, Instant first, Instant last, int count, List<String> actions,
            List<String> from) {
    }

    private static final class Builder {
        private final String user;
        private final String why;
        private Instant first;
        private Instant last;
        private int count;
        private final Set<String> actions = new TreeSet<>();
        private final Set<String> from = new TreeSet<>();

        Builder(String user, String why) {
            this.user = user;
            this.why = why;
        }

        void add(AuditEntry entry) {
            first = first == null || entry.time().isBefore(first) ? entry.time() : first;
            last = last == null || entry.time().isAfter(last) ? entry.time() : last;
            count++;
            actions.add(entry.event().action().name());
            from.add(entry.event().clientAddress());
        }

        Access build() {
            return new Access(user, why, first, last, count, List.copyOf(actions), List.copyOf(from));
        }
    }
}
