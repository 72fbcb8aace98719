package org.panacea.alerts.rules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panacea.api.records.PatientSecurityLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which charts are flagged (VIP, employee): those whose patient's logical id is listed in the configuration, and
 * those whose Patient carries one of the configured security labels ({@code meta.security}, read from the record).
 * <p>
 * What was read about a chart's labels is kept for at most {@code cacheFor}, for at most {@link #MAX_CACHED} charts
 * (least recently asked dropped first): a label added or removed on any node (they share the record) is seen by this
 * node's rule within {@code cacheFor}, and a burst of openings of one chart costs one read of the record. A chart
 * whose labels cannot be read (the record down) counts as not labelled this time and is not cached: the failure is
 * logged, and the listed ids still flag. Thread-safe.
 */
public final class FlaggedCharts {

    /** The most charts whose labels are kept: bounds memory whatever the number of charts opened. */
    static final int MAX_CACHED = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(FlaggedCharts.class);

    private final Set<String> listed;
    private final List<String> labels;
    private final PatientSecurityLabels record;
    private final Duration cacheFor;
    private final Clock clock;
    /** What was read about a chart's labels, and until when it is trusted. */
    private record Known(boolean carries, Instant until) {
    }

    /** In access order, so the least recently asked chart is dropped first. */
    private final Map<String, Known> known = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > MAX_CACHED;
        }
    };

    /**
     * @param listed   patients' logical ids flagged by configuration
     * @param labels   the security labels that flag a chart, each {@code system|code}; empty: none
     * @param record   where the Patient's labels are read
     * @param cacheFor how long an answer about a chart's labels is trusted; zero: always read again
     */
    public FlaggedCharts(Set<String> listed, List<String> labels, PatientSecurityLabels record, Duration cacheFor,
            Clock clock) {
        this.listed = Set.copyOf(listed);
        this.labels = List.copyOf(labels);
        this.record = record;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /** {@code true} when nothing can flag a chart (no listed id, no label): the rule is then off. */
    public boolean isEmpty() {
        return listed.isEmpty() && labels.isEmpty();
    }

    /** {@code true} when the chart of {@code patientId} is flagged now (as far as {@code cacheFor} allows). */
    public synchronized boolean flagged(String patientId) {
        if (patientId == null || patientId.isEmpty()) {
            return false;
        }
        if (listed.contains(patientId)) {
            return true;
        }
        if (labels.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Known cached = known.get(patientId);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.carries();
        }
        boolean carries;
        try {
            carries = record.carriesAny(patientId, labels);
        } catch (RuntimeException unreadable) {
            LOG.warn("Flagged charts: the security labels of Patient/{} could not be read ({}); counted as not "
                    + "labelled this time", patientId, unreadable.toString());
            return false;
        }
        known.put(patientId, new Known(carries, now.plus(cacheFor)));
        return carries;
    }

    /** Which labels flag a chart, for the log. */
    public List<String> labels() {
        return labels;
    }
}
