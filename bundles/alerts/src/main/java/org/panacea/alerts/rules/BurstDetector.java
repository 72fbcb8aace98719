package org.panacea.alerts.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts distinct values per key (charts per user, denials per user) in a sliding time window and reports a burst
 * once: the first time a key's count in the window exceeds the threshold. The key's burst lasts while its count stays
 * above the threshold; once the window has slid far enough for the count to fall back to the threshold or below, the
 * burst is over and the next excess reports again. So 60 charts opened in a minute with a threshold of 50 make one
 * report, not ten.
 *
 * <p>A threshold of 0 reports the first event of a key, then stays quiet until the key saw no event for a whole
 * window: "once per episode". Times come from the events (audit entries' commit times), so the detector is
 * deterministic; events may arrive a little out of order, older ones are simply counted as they come. Not
 * thread-safe: a rule feeds it from the alert evaluator's single thread.
 */
public final class BurstDetector {

    /** Keys beyond which the detector sweeps keys whose windows emptied, so idle users do not pile up. */
    private static final int SWEEP_ABOVE_KEYS = 10_000;

    private final int threshold;
    private final Duration window;
    private final Map<String, Window> windows = new HashMap<>();

    /**
     * @param threshold most distinct values a key may have in a window without a report, at least 0
     * @param window    length of the sliding window, positive
     */
    public BurstDetector(int threshold, Duration window) {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be at least 0, was " + threshold);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.threshold = threshold;
        this.window = window;
    }

    /**
     * Counts {@code value} for {@code key} at {@code time}.
     *
     * @return the number of distinct values in the window when this event starts a burst, else 0
     */
    public int add(String key, String value, Instant time) {
        if (windows.size() > SWEEP_ABOVE_KEYS) {
            sweep(time);
        }
        Window keyWindow = windows.computeIfAbsent(key, k -> new Window());
        keyWindow.slide(time.minus(window));
        if (keyWindow.distinct() <= threshold) {
            keyWindow.inBurst = false;
        }
        keyWindow.add(value, time);
        if (keyWindow.distinct() > threshold && !keyWindow.inBurst) {
            keyWindow.inBurst = true;
            return keyWindow.distinct();
        }
        return 0;
    }

    private void sweep(Instant now) {
        Instant cutoff = now.minus(window);
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext();) {
            Window w = it.next();
            w.slide(cutoff);
            if (w.distinct() == 0) {
                it.remove();
            }
        }
    }

    /** The events of one key in the window, oldest first, and how often each value occurs among them. */
    private static final class Window {
        private final Deque<Event> events = new ArrayDeque<>();
        private final Map<String, Integer> counts = new HashMap<>();
        private boolean inBurst;

        void add(String value, Instant time) {
            events.addLast(new Event(value, time));
            counts.merge(value, 1, Integer::sum);
        }

        /** Drops the events before {@code cutoff}. */
        void slide(Instant cutoff) {
            while (!events.isEmpty() && events.peekFirst().time().isBefore(cutoff)) {
                Event old = events.removeFirst();
                counts.computeIfPresent(old.value(), (v, n) -> n == 1 ? null : n - 1);
            }
        }

        int distinct() {
            return counts.size();
        }
    }

    private record Event(String value, Instant time) {
    }
}
