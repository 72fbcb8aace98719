package org.panacea.audit.internal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;

/**
 * Formats an entry as one RFC 5424 syslog message with no free-text part; everything is in the structured-data
 * element {@value #SD_ID}:
 * {@code <PRI>1 TIMESTAMP HOSTNAME panacea - AUDIT [panacea@32473 seq="..." actor="..." ...]}.
 * Facility 10 (security/authorization), as IHE ATNA uses; severity notice for success, warning for denied or failed,
 * error for platform errors. Details are not exported (only the trail's hash): they may name a patient.
 *
 * <p>Anchor lines go out as {@code ... panacea - ANCHOR [panacea-anchor@32473 node="..." kind="..." seq="..."
 * hash="..." line="..."]}, {@code line} being the exact line of the node's anchor file, so a receiver can rebuild the
 * file and check it with the audit key. Severity notice, warning for a lost event. Thread-safe.
 */
final class Rfc5424Formatter {

    static final String SD_ID = "panacea@32473";
    static final String ANCHOR_SD_ID = "panacea-anchor@32473";

    private static final int FACILITY_AUTHPRIV = 10;
    private static final int SEVERITY_ERROR = 3;
    private static final int SEVERITY_WARNING = 4;
    private static final int SEVERITY_NOTICE = 5;
    private static final int MAX_HOSTNAME = 255;
    /** RFC 5424 allows at most six fractional digits; the trail stores microseconds anyway. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final String hostname;

    /** @param hostname the HOSTNAME field; anything but printable ASCII is dropped, {@code -} when nothing is left */
    Rfc5424Formatter(String hostname) {
        this.hostname = sanitizeHostname(hostname);
    }

    String format(AuditEntry entry) {
        AuditEvent event = entry.event();
        return "<" + priority(event.outcome()) + ">1 " + TIMESTAMP.format(entry.time()) + " " + hostname
                + " panacea - AUDIT [" + SD_ID
                + param("seq", Long.toString(entry.sequence()))
                + param("actor", event.actor())
                + param("action", event.action().name())
                + param("outcome", event.outcome().name())
                + param("resourceType", event.resourceType())
                + param("resourceId", event.resourceId())
                + param("patient", event.patientId())
                + param("hash", entry.hash())
                + "]";
    }

    String formatAnchor(AnchorLine line) {
        int severity = line.kind() == AnchorKind.LOST ? SEVERITY_WARNING : SEVERITY_NOTICE;
        return "<" + (FACILITY_AUTHPRIV * 8 + severity) + ">1 " + TIMESTAMP.format(line.time()) + " " + hostname
                + " panacea - ANCHOR [" + ANCHOR_SD_ID
                + param("node", line.node())
                + param("kind", line.kind().word())
                + param("seq", Long.toString(line.sequence()))
                + param("hash", line.hash())
                + param("line", line.format())
                + "]";
    }

    /** The PRI value: facility times 8 plus severity. */
    static int priority(AuditOutcome outcome) {
        int severity = switch (outcome) {
            case SUCCESS -> SEVERITY_NOTICE;
            case DENIED, FAILURE -> SEVERITY_WARNING;
            case ERROR -> SEVERITY_ERROR;
        };
        return FACILITY_AUTHPRIV * 8 + severity;
    }

    /**
     * {@code value} as an SD-PARAM value: {@code "}, {@code \} and {@code ]} are escaped with a backslash (RFC 5424
     * section 6.3.3); control characters, which would break the one-line-per-entry format, become {@code ?}.
     */
    static String escapeParamValue(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                escaped.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                escaped.append('?');
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String param(String name, String value) {
        return " " + name + "=\"" + escapeParamValue(value) + "\"";
    }

    private static String sanitizeHostname(String name) {
        StringBuilder clean = new StringBuilder();
        for (int i = 0; i < name.length() && clean.length() < MAX_HOSTNAME; i++) {
            char c = name.charAt(i);
            if (c > 32 && c < 127) {
                clean.append(c);
            }
        }
        return clean.length() == 0 ? "-" : clean.toString();
    }
}
