package org.panacea.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins per user and client address, and per client address alone, and refuses logins during an
 * exponential back-off once a count passes its limit. A user who fails from one address is not held back anywhere
 * else; the per-address count (with a larger limit) stops one address from guessing across many user names.
 * <p>
 * Counts are kept in memory only, for at most {@link LoginThrottleSettings#maxEntries()} users and addresses (the least
 * recently seen are dropped first). Only a checked failure creates or raises a count; a refused try never does, so an
 * address already backed off cannot fill the table. A successful login clears the user's count from that address and
 * lowers the address's by one, so a busy shared address (a ward's NAT) with occasional typing errors is not throttled
 * while a burst of failures still is. Counts are forgotten after {@link LoginThrottleSettings#forgetAfter()} without a
 * failure.
 * <p>
 * Audit: a user or address that starts being throttled gets one {@link AuditAction#LOGIN_THROTTLED} entry; when the
 * throttling ends (a successful login, the count forgotten, or the platform stopping) a second entry gives the number
 * of tries refused and of failed logins since. Refused tries themselves are never audited one by one. The entries are
 * written outside the lock, by the thread whose login changed the state.
 * <p>
 * Thread-safe.
 */
final class LoginThrottle {

    /** The actor of entries about an address as a whole. */
    static final String ANY_USER = "*";

    /** Longest user name or address kept (longer ones are cut): keys stay small and fit the audit trail's columns. */
    static final int MAX_NAME_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private final Clock clock;
    private final Consumer<AuditEvent> audit;
    private final Map<Key, Count> counts = new LinkedHashMap<>(256, 0.75f, true);
    private volatile LoginThrottleSettings settings;
    private Instant lastSweep;

    LoginThrottle(LoginThrottleSettings settings, Clock clock, Consumer<AuditEvent> audit) {
        this.settings = settings;
        this.clock = clock;
        this.audit = audit;
        this.lastSweep = clock.instant();
    }

    void reconfigure(LoginThrottleSettings newSettings) {
        this.settings = newSettings;
    }

    LoginThrottleSettings settings() {
        return settings;
    }

    /**
     * Whether a login of {@code user} from {@code address} must be refused without checking its password. A refused
     * try is counted for the end-of-throttling audit entry, and changes nothing else.
     *
     * @return how long to wait before trying again, when refused
     */
    Optional<Duration> refusal(String user, String address) {
        LoginThrottleSettings rules = settings;
        if (!rules.enabled()) {
            return Optional.empty();
        }
        List<AuditEvent> events = new ArrayList<>(0);
        Duration wait = Duration.ZERO;
        synchronized (this) {
            Instant now = clock.instant();
            sweepIfDue(now, rules, events);
            for (Key key : keys(user, address, rules)) {
                Count count = counts.get(key);
                if (count != null && count.blockedUntil.isAfter(now)) {
                    count.refused++;
                    Duration left = Duration.between(now, count.blockedUntil);
                    wait = left.compareTo(wait) > 0 ? left : wait;
                }
            }
        }
        emit(events);
        return wait.isZero() ? Optional.empty() : Optional.of(roundUpToSeconds(wait));
    }

    /** A login of {@code user} from {@code address} was checked and failed. */
    void failed(String user, String address) {
        LoginThrottleSettings rules = settings;
        if (!rules.enabled()) {
            return;
        }
        List<AuditEvent> events = new ArrayList<>(0);
        synchronized (this) {
            Instant now = clock.instant();
            sweepIfDue(now, rules, events);
            for (Key key : keys(user, address, rules)) {
                Count count = counts.get(key);
                if (count != null && forgettable(count, now, rules)) {
                    counts.remove(key);
                    end(key, count, now, "failures forgotten", events);
                    count = null;
                }
                if (count == null) {
                    makeRoom(now, rules, events);
                    count = new Count(key.user == null ? ANY_USER : cut(user));
                    counts.put(key, count);
                }
                count.failures++;
                count.lastFailure = now;
                int limit = key.user == null ? rules.addressFailures() : rules.userFailures();
                Duration backOff = rules.backOff(count.failures, limit);
                if (backOff.isZero()) {
                    continue;
                }
                count.blockedUntil = now.plus(backOff);
                if (count.since == null) {
                    count.since = now;
                    events.add(started(key, count, backOff));
                    LOG.warn("Logins {} from {} are throttled after {} failures: retry after {} s", key.describe(),
                            key.address, count.failures, backOff.toSeconds());
                } else {
                    count.failuresSince++;
                }
            }
        }
        emit(events);
    }

    /** A login of {@code user} from {@code address} succeeded. */
    void succeeded(String user, String address) {
        LoginThrottleSettings rules = settings;
        List<AuditEvent> events = new ArrayList<>(0);
        synchronized (this) {
            Instant now = clock.instant();
            for (Key key : keys(user, address, rules)) {
                Count count = counts.get(key);
                if (count == null) {
                    continue;
                }
                if (key.user != null) {
                    counts.remove(key);
                    end(key, count, now, "successful login", events);
                } else {
                    count.failures = Math.max(0, count.failures - 1);
                    if (count.failures == 0 && !count.blockedUntil.isAfter(now)) {
                        counts.remove(key);
                        end(key, count, now, "successful logins", events);
                    }
                }
            }
        }
        emit(events);
    }

    /** Forgets the counts that have been quiet long enough, ending their throttling (audited). */
    void sweep() {
        List<AuditEvent> events = new ArrayList<>(0);
        synchronized (this) {
            sweep(clock.instant(), settings, events);
        }
        emit(events);
    }

    /** Ends every throttling under way (audited) and forgets all counts: the platform is stopping. */
    void close() {
        List<AuditEvent> events = new ArrayList<>(0);
        synchronized (this) {
            Instant now = clock.instant();
            counts.forEach((key, count) -> end(key, count, now, "platform stopping", events));
            counts.clear();
        }
        emit(events);
    }

    /** How many users and addresses are remembered. */
    synchronized int size() {
        return counts.size();
    }

    /**
     * The host part of a client address as Karaf's {@code ClientPrincipal}s carry it: {@code 10.0.0.5} over HTTP,
     * {@code /10.0.0.5:50122} or {@code name/10.0.0.5:50122} over ssh (a socket address, with the client's port),
     * {@code /[::1]:50122} for IPv6. The port changes with every connection, so it must not be part of the key; over
     * HTTP and ssh the same host gets the same key.
     */
    static String host(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String host = address.strip();
        int slash = host.lastIndexOf('/');
        if (slash >= 0) {
            host = host.substring(slash + 1);
        }
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host.substring(1);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // IPv4 or name with a port; bare IPv6 has several colons
        }
        return host.isEmpty() ? "unknown" : cut(host.toLowerCase(Locale.ROOT));
    }

    private static List<Key> keys(String user, String address, LoginThrottleSettings rules) {
        String host = host(address);
        List<Key> keys = new ArrayList<>(2);
        if (rules.userFailures() > 0) {
            // Case-folded: a realm that ignores case (LDAP) must not give a guesser a fresh count per spelling.
            keys.add(new Key(cut(String.valueOf(user)).toLowerCase(Locale.ROOT), host));
        }
        if (rules.addressFailures() > 0) {
            keys.add(new Key(null, host));
        }
        return keys;
    }

    private static String cut(String text) {
        return text.length() <= MAX_NAME_LENGTH ? text : text.substring(0, MAX_NAME_LENGTH);
    }

    private static boolean forgettable(Count count, Instant now, LoginThrottleSettings rules) {
        return !count.blockedUntil.isAfter(now)
                && !Duration.between(count.lastFailure, now).minus(rules.forgetAfter()).isNegative();
    }

    private void sweepIfDue(Instant now, LoginThrottleSettings rules, List<AuditEvent> events) {
        // Amortised: a full pass at most once per tenth of the forget time (the component also sweeps on a timer).
        if (Duration.between(lastSweep, now).compareTo(rules.forgetAfter().dividedBy(10)) >= 0) {
            sweep(now, rules, events);
        }
    }

    private void sweep(Instant now, LoginThrottleSettings rules, List<AuditEvent> events) {
        lastSweep = now;
        for (Iterator<Map.Entry<Key, Count>> it = counts.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Count> entry = it.next();
            if (forgettable(entry.getValue(), now, rules)) {
                it.remove();
                end(entry.getKey(), entry.getValue(), now, "failures forgotten", events);
            }
        }
    }

    private void makeRoom(Instant now, LoginThrottleSettings rules, List<AuditEvent> events) {
        if (counts.size() < rules.maxEntries()) {
            return;
        }
        sweep(now, rules, events);
        // Still full: drop the least recently seen (the map is in access order).
        Iterator<Map.Entry<Key, Count>> it = counts.entrySet().iterator();
        while (counts.size() >= rules.maxEntries() && it.hasNext()) {
            Map.Entry<Key, Count> eldest = it.next();
            it.remove();
            end(eldest.getKey(), eldest.getValue(), now, "forgotten to make room", events);
        }
    }

    private static AuditEvent started(Key key, Count count, Duration backOff) {
        String state = "started after " + count.failures + " failed logins; retry after " + backOff.toSeconds() + " s";
        return new AuditEvent(count.actor, "", AuditAction.LOGIN_THROTTLED, "login", state, "", AuditOutcome.DENIED,
                key.address, "Logins " + key.describe() + " from " + key.address + " throttled: " + state);
    }

    private void end(Key key, Count count, Instant now, String why, List<AuditEvent> events) {
        if (count.since == null) {
            return; // never throttled: nothing was audited, nothing to close
        }
        String state = "ended (" + why + "): " + count.refused + " tries refused, " + count.failuresSince
                + " failed logins since it started at " + count.since.truncatedTo(ChronoUnit.MILLIS);
        events.add(new AuditEvent(count.actor, "", AuditAction.LOGIN_THROTTLED, "login", state, "",
                AuditOutcome.DENIED, key.address, "Logins " + key.describe() + " from " + key.address + " throttling "
                        + state + ", ended at " + now.truncatedTo(ChronoUnit.MILLIS)));
        LOG.info("Throttling of logins {} from {} {}", key.describe(), key.address, state);
    }

    private void emit(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            try {
                audit.accept(event);
            } catch (RuntimeException e) {
                LOG.error("Login throttling of {} from {} could not be audited: {}", event.actor(),
                        event.clientAddress(), e.getMessage());
            }
        }
    }

    private static Duration roundUpToSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /** A user from a host ({@code user} lower case), or a host as a whole ({@code user} null). */
    private record Key(String user, String address) {
        String describe() {
            return user == null ? "of every user" : "of " + user;
        }
    }

    /** Failures of one key, and the throttling under way, if any. */
    private static final class Count {
        final String actor;
        int failures;
        Instant lastFailure = Instant.EPOCH;
        Instant blockedUntil = Instant.EPOCH;
        /** When the throttling under way started; null when none is. */
        Instant since;
        long refused;
        long failuresSince;

        Count(String actor) {
            this.actor = actor;
        }
    }
}
