package org.panacea.audit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The validated settings of the trail, free of OSGi types so tests can make them directly.
 *
 * @param keyFile            this node's audit key file of an earlier version, adopted once into the shared store
 *                           (tests: the key file itself)
 * @param checkpointInterval a checkpoint seals every entry whose sequence number is a multiple of this, at least 1
 * @param maxBatchSize       most entries per transaction, at least 1
 * @param anchorFolder       folder of the anchor files, one per node
 * @param nodeName           this node's name: its anchor file is {@code <nodeName>.anchors}
 * @param anchorPeriod       how often the moved head is anchored, positive
 */
record TrailSettings(Path keyFile, int checkpointInterval, int maxBatchSize, Path anchorFolder, String nodeName,
        Duration anchorPeriod) {

    static final String KEY_FILE_NAME = "panacea-audit.key";
    static final String ANCHOR_FOLDER_NAME = "audit-anchors";

    /** A file name on every platform, and a token without spaces in anchor lines and syslog messages. */
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    TrailSettings {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpointInterval must be at least 1, was " + checkpointInterval);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
        if (nodeName == null || !NODE_NAME.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("nodeName must be 1 to 64 letters, digits, '.', '_' or '-' starting"
                    + " with a letter or digit, was '" + nodeName + "'");
        }
        if (anchorPeriod.isNegative() || anchorPeriod.isZero()) {
            throw new IllegalArgumentException("anchorPeriodSeconds must be at least 1, was " + anchorPeriod);
        }
    }

    /**
     * The settings in {@code config}, with the defaults taken from Karaf's system properties: an empty key file means
     * {@value #KEY_FILE_NAME} in {@code karaf.etc}, an empty anchor folder {@value #ANCHOR_FOLDER_NAME} in
     * {@code karaf.data}, an empty node name {@code karaf.name}.
     *
     * @throws IllegalArgumentException when a setting is missing and has no default, or is out of range
     */
    static TrailSettings from(AuditTrailConfig config) {
        return from(config, System.getProperty("karaf.etc"), System.getProperty("karaf.data"),
                System.getProperty("karaf.name"));
    }

    /**
     * As {@link #from(AuditTrailConfig)}, with the Karaf properties given ({@code null} outside Karaf).
     *
     * @throws IllegalArgumentException when a setting is missing and has no default, or is out of range
     */
    static TrailSettings from(AuditTrailConfig config, String karafEtc, String karafData, String karafName) {
        Path keyFile = pathOrDefault(config.keyFile(), karafEtc, KEY_FILE_NAME, "keyFile", "karaf.etc");
        // Outside data/db on purpose: whoever restores or rewrites the database does not roll the anchors back too.
        Path anchorFolder = pathOrDefault(config.anchorFolder(), karafData, ANCHOR_FOLDER_NAME, "anchorFolder",
                "karaf.data");
        String nodeName = !config.nodeName().isBlank() ? config.nodeName().strip()
                : karafName == null || karafName.isBlank() ? "" : karafName.strip();
        if (nodeName.isEmpty()) {
            throw new IllegalArgumentException("No audit node name: set nodeName in org.panacea.audit (the karaf.name"
                    + " system property that gives the default is not set)");
        }
        return new TrailSettings(keyFile, config.checkpointInterval(), config.maxBatchSize(), anchorFolder, nodeName,
                Duration.ofSeconds(config.anchorPeriodSeconds()));
    }

    /** The node's own anchor file. */
    Path anchorFile() {
        return anchorFolder.resolve(nodeName + AnchorFiles.SUFFIX);
    }

    private static Path pathOrDefault(String configured, String karafFolder, String defaultName, String setting,
            String property) {
        if (!configured.isBlank()) {
            return Path.of(configured.strip());
        }
        if (karafFolder != null && !karafFolder.isBlank()) {
            return Path.of(karafFolder, defaultName);
        }
        throw new IllegalArgumentException("No audit " + setting + ": set " + setting + " in org.panacea.audit (the "
                + property + " system property that gives the default is not set)");
    }
}
