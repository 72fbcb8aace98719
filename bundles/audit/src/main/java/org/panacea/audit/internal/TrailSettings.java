package org.panacea.audit.internal;

import java.nio.file.Path;

/**
 * The validated settings of the trail, free of OSGi types so tests can make them directly.
 *
 * @param keyFile            file holding the audit key
 * @param checkpointInterval a checkpoint seals every entry whose sequence number is a multiple of this, at least 1
 * @param maxBatchSize       most entries per transaction, at least 1
 */
record TrailSettings(Path keyFile, int checkpointInterval, int maxBatchSize) {

    static final String KEY_FILE_NAME = "panacea-audit.key";

    TrailSettings {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpointInterval must be at least 1, was " + checkpointInterval);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
    }

    /**
     * The settings in {@code config}; an empty key file means {@value #KEY_FILE_NAME} in {@code karafEtc}.
     *
     * @param karafEtc the value of the {@code karaf.etc} system property, or {@code null} outside Karaf
     * @throws IllegalArgumentException when neither names a key file, or a number is out of range
     */
    static TrailSettings from(AuditTrailConfig config, String karafEtc) {
        Path keyFile;
        if (!config.keyFile().isBlank()) {
            keyFile = Path.of(config.keyFile().strip());
        } else if (karafEtc != null && !karafEtc.isBlank()) {
            keyFile = Path.of(karafEtc, KEY_FILE_NAME);
        } else {
            throw new IllegalArgumentException("No audit key file: set keyFile in org.panacea.audit"
                    + " (the karaf.etc system property that gives the default is not set)");
        }
        return new TrailSettings(keyFile, config.checkpointInterval(), config.maxBatchSize());
    }
}
