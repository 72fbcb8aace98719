package org.panacea.audit.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The marker {@code bin/panacea-restore} leaves in {@code data/restore/pending} (Java properties: {@code backup},
 * {@code taken}, {@code node}, {@code restoredBy}, {@code restoredAt}) for the audit trail to record the restore at
 * the next start ({@link HashChainedAuditTrail#settleRestore}).
 */
final class RestoreMarker {

    static final String PENDING = "restore/pending";
    /** The actor of the restore epochs recorded from a marker. */
    static final String ACTOR = "system:restore";

    private RestoreMarker() {
    }

    /** The epoch's reason: one line of at most {@code max} characters, made of the marker's values. */
    static String reason(Path marker, int max) throws IOException {
        Properties values = new Properties();
        try (Reader in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            values.load(in);
        }
        String reason = "restored with bin/panacea-restore from backup " + value(values, "backup") + " of node "
                + value(values, "node") + " taken " + value(values, "taken") + ", by " + value(values, "restoredBy")
                + " at " + value(values, "restoredAt");
        return reason.length() > max ? reason.substring(0, max) : reason;
    }

    private static String value(Properties values, String key) {
        String value = values.getProperty(key, "?").strip();
        StringBuilder clean = new StringBuilder();
        value.codePoints().limit(100).forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return clean.length() == 0 ? "?" : clean.toString();
    }
}
