package org.panacea.engine.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.engine.internal.EngineUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin services of one kind, found by id and version range, swapped without failed calls.
 * <p>
 * A call takes a {@link PluginLease} on the highest registered version in its range and holds it while the plugin
 * runs. When a service goes away ({@link #remove}, called by DS when the plugin's bundle stops), it is withdrawn at
 * once from new calls, and {@code remove} blocks until the calls still running on it have returned (at most
 * {@link SwapTimings#unbindWait()}), so the old bundle is not deactivated under them. A new call for an id that went
 * away waits up to {@link SwapTimings#gracePeriod()} for a replacement instead of failing; a call for an id never
 * seen fails at once. Thread-safe; one lock guards the table, held only for bookkeeping, never while a plugin runs.
 *
 * @param <S> the service type ({@code ImagingAlgorithm}, {@code PredictionModel})
 * @param <D> its descriptor type
 */
public final class HotSwapRegistry<S, D> {

    private static final Logger LOG = LoggerFactory.getLogger(HotSwapRegistry.class);
    private static final String SERVICE_ID = "service.id";
    private static final String SERVICE_RANKING = "service.ranking";
    private static final int IDS_LISTED = 20;

    /** Preferred first: the highest version, then the highest ranking, then the newest registration. */
    private static final Comparator<Registration<?, ?>> PREFERENCE = Comparator
            .<Registration<?, ?>, Version>comparing(r -> r.version)
            .thenComparingInt(r -> r.ranking)
            .thenComparingLong(r -> r.serviceId);

    private final String kind;
    private final Function<S, D> describe;
    private final Function<D, PluginDescriptor> identity;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every registration, and when the last call on a withdrawn service returns. */
    private final Condition changed = lock.newCondition();
    private final Map<Object, Registration<S, D>> registrations = new HashMap<>();
    /** When each id last lost a service: calls for these ids wait for a replacement. */
    private final Map<String, Long> departures = new HashMap<>();
    private volatile SwapTimings timings;
    private boolean closed;
    /** When this registry was made (the engine's start): the start-up wait counts from here. */
    private final long created = System.nanoTime();

    /**
     * @param kind     what the services are, for messages ({@code imaging algorithm})
     * @param describe reads a service's descriptor (called once, when it registers)
     * @param identity the plugin identity inside a descriptor
     */
    public HotSwapRegistry(String kind, Function<S, D> describe, Function<D, PluginDescriptor> identity,
            SwapTimings timings) {
        this.kind = kind;
        this.describe = describe;
        this.identity = identity;
        this.timings = timings;
    }

    /** Applies new timings to the next swaps and calls. */
    public void timings(SwapTimings newTimings) {
        this.timings = newTimings;
    }

    /** What the services are, for messages. */
    public String kind() {
        return kind;
    }

    /**
     * Makes {@code service} available. Its id and version come from its descriptor, which must agree with the
     * service properties {@code panacea.plugin.id} and {@code panacea.plugin.version} where they are given.
     *
     * @return {@code false} when the service is refused (descriptor unreadable or contradicting its properties); the
     *         reason is logged
     */
    public boolean add(S service, Map<String, ?> properties) {
        D descriptor;
        try {
            descriptor = describe.apply(service);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Ignoring a {} service ({}): its descriptor cannot be read", kind, origin(properties), e);
            return false;
        }
        if (descriptor == null) {
            LOG.error("Ignoring a {} service ({}): it has no descriptor", kind, origin(properties));
            return false;
        }
        PluginDescriptor plugin = identity.apply(descriptor);
        Version version = Version.parseVersion(plugin.version());
        Object idProperty = properties.get(PluginHeaders.SERVICE_PLUGIN_ID);
        Object versionProperty = properties.get(PluginHeaders.SERVICE_PLUGIN_VERSION);
        if (idProperty != null && !plugin.id().equals(String.valueOf(idProperty))) {
            LOG.error("Ignoring {} {} ({}): its service property {}={} contradicts its descriptor", kind, plugin.id(),
                    origin(properties), PluginHeaders.SERVICE_PLUGIN_ID, idProperty);
            return false;
        }
        if (versionProperty != null && !sameVersion(version, versionProperty)) {
            LOG.error("Ignoring {} {} {} ({}): its service property {}={} contradicts its descriptor", kind,
                    plugin.id(), plugin.version(), origin(properties), PluginHeaders.SERVICE_PLUGIN_VERSION,
                    versionProperty);
            return false;
        }
        if (idProperty == null) {
            LOG.warn("{} {} ({}) has no service property {}: found by its descriptor's id", kind, plugin.id(),
                    origin(properties), PluginHeaders.SERVICE_PLUGIN_ID);
        }
        Object modelSha256 = properties.get(PluginHeaders.SERVICE_MODEL_SHA256);
        Registration<S, D> registration = new Registration<>(key(service, properties), service, descriptor, plugin,
                version, ranking(properties), serviceId(properties),
                modelSha256 == null ? null : String.valueOf(modelSha256));
        lock.lock();
        try {
            registrations.put(registration.key, registration);
            Long departed = departures.get(plugin.id());
            if (departed != null) {
                LOG.info("{} {} {} registered, {} ms after a version of it went away", kind, plugin.id(),
                        plugin.version(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - departed));
            } else {
                LOG.info("{} {} {} registered", kind, plugin.id(), plugin.version());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Withdraws {@code service} from new calls, then blocks until the calls running on it have returned, or
     * {@link SwapTimings#unbindWait()} has passed (logged: those calls may then fail).
     */
    public void remove(S service, Map<String, ?> properties) {
        lock.lock();
        try {
            Registration<S, D> registration = registrations.remove(key(service, properties));
            if (registration == null) {
                return;
            }
            registration.withdrawn = true;
            String name = kind + " " + registration.plugin.id() + " " + registration.plugin.version();
            departures.put(registration.plugin.id(), System.nanoTime());
            if (registration.inFlight == 0) {
                LOG.info("{} went away", name);
                return;
            }
            long start = System.nanoTime();
            long remaining = timings.unbindWait().toNanos();
            LOG.info("{} is going away: holding it until its {} running calls return (at most {} s)", name,
                    registration.inFlight, timings.unbindWait().toSeconds());
            while (registration.inFlight > 0 && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (registration.inFlight > 0) {
                LOG.warn("{} let go after {} ms with {} calls still running on it; they may fail", name, waited,
                        registration.inFlight);
            } else {
                LOG.info("{} went away after its last call returned ({} ms)", name, waited);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while holding a departing {} for its running calls", kind);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A lease on the highest version of {@code id} within {@code range} (any version when empty). When none is
     * registered but one went away, waits up to the grace period for a replacement; when none was ever registered,
     * waits only while the engine starts (the start-up wait after the registry was made).
     *
     * @throws PluginNotFoundException    when there is none (after the grace period, where one went away)
     * @throws EngineUnavailableException when the registry is closing or the wait is interrupted
     */
    public PluginLease<S, D> acquire(String id, Optional<VersionRange> range) {
        long start = System.nanoTime();
        lock.lock();
        try {
            long remaining = timings.gracePeriod().toNanos();
            boolean waitedForStart = false;
            while (true) {
                if (closed) {
                    throw new EngineUnavailableException("the engine is stopping; try again shortly");
                }
                Registration<S, D> best = best(id, range);
                if (best != null) {
                    best.inFlight++;
                    return new PluginLease<>(this, best, Duration.ofNanos(System.nanoTime() - start));
                }
                if (!departures.containsKey(id)) {
                    // Never seen: unknown, unless the node is starting and its plugins are still registering.
                    long startupLeft = created + timings.startupWait().toNanos() - System.nanoTime();
                    if (startupLeft <= 0) {
                        throw new PluginNotFoundException(missing(id, range) + (waitedForStart ? "; none came "
                                + "while the engine started (" + seconds(timings.startupWait()) + ")" : ""));
                    }
                    waitedForStart = true;
                    remaining = startupLeft;
                } else if (remaining <= 0) {
                    throw new PluginNotFoundException(missing(id, range) + "; it went away and no replacement came "
                            + "within the grace period of " + seconds(timings.gracePeriod()));
                }
                remaining = changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted while waiting for " + kind + " '" + id + "'");
        } finally {
            lock.unlock();
        }
    }

    /** The descriptors of the registered versions of {@code id}, the highest first; empty when there is none. */
    public List<D> available(String id) {
        return available().stream().filter(descriptor -> identity.apply(descriptor).id().equals(id)).toList();
    }

    /** The descriptors of every registered service, by id, the highest version first. */
    public List<D> available() {
        lock.lock();
        try {
            List<Registration<S, D>> sorted = new ArrayList<>(registrations.values());
            sorted.sort(Comparator.<Registration<S, D>, String>comparing(r -> r.plugin.id())
                    .thenComparing(PREFERENCE.reversed()));
            return sorted.stream().map(r -> r.descriptor).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the calls waiting for a replacement and every later call: the engine is stopping. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void release(Registration<S, D> registration) {
        lock.lock();
        try {
            registration.inFlight--;
            if (registration.withdrawn && registration.inFlight == 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private Registration<S, D> best(String id, Optional<VersionRange> range) {
        Registration<S, D> best = null;
        for (Registration<S, D> candidate : registrations.values()) {
            if (candidate.plugin.id().equals(id) && (range.isEmpty() || range.get().includes(candidate.version))
                    && (best == null || PREFERENCE.compare(candidate, best) > 0)) {
                best = candidate;
            }
        }
        return best;
    }

    private String missing(String id, Optional<VersionRange> range) {
        TreeSet<Version> versions = new TreeSet<>();
        TreeSet<String> ids = new TreeSet<>();
        for (Registration<S, D> registration : registrations.values()) {
            ids.add(registration.plugin.id());
            if (registration.plugin.id().equals(id)) {
                versions.add(registration.version);
            }
        }
        if (!versions.isEmpty()) {
            return "no version of " + kind + " '" + id + "' in range " + range.map(VersionRange::toString).orElse("")
                    + " is installed; installed versions: " + String.join(", ",
                            versions.descendingSet().stream().map(Version::toString).toList());
        }
        List<String> listed = ids.stream().limit(IDS_LISTED).toList();
        return "no " + kind + " '" + id + "' is installed" + (ids.isEmpty() ? " (none is installed)"
                : "; installed: " + String.join(", ", listed) + (ids.size() > listed.size() ? ", ..." : ""));
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static boolean sameVersion(Version version, Object property) {
        try {
            return version.equals(Version.parseVersion(String.valueOf(property)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Object key(Object service, Map<String, ?> properties) {
        Object serviceId = properties.get(SERVICE_ID);
        return serviceId != null ? serviceId : new IdentityKey(service);
    }

    private static int ranking(Map<String, ?> properties) {
        return properties.get(SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
    }

    private static long serviceId(Map<String, ?> properties) {
        return properties.get(SERVICE_ID) instanceof Long id ? id : 0;
    }

    private static String origin(Map<String, ?> properties) {
        Object component = properties.get("component.name");
        return component != null ? "component " + component : "service " + properties.get(SERVICE_ID);
    }

    /** A service registered without a service id (only outside OSGi, in tests), keyed by identity. */
    private record IdentityKey(Object service) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey key && key.service == service;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(service);
        }
    }

    /** One registered service and the calls running on it; the mutable fields are guarded by the lock. */
    static final class Registration<S, D> {
        final Object key;
        final S service;
        final D descriptor;
        final PluginDescriptor plugin;
        final Version version;
        final int ranking;
        final long serviceId;
        /** The SHA-256 of the model file behind the service (model-only plugins), or {@code null}. */
        final String modelSha256;
        int inFlight;
        boolean withdrawn;

        Registration(Object key, S service, D descriptor, PluginDescriptor plugin, Version version, int ranking,
                long serviceId, String modelSha256) {
            this.modelSha256 = modelSha256;
            this.key = key;
            this.service = service;
            this.descriptor = descriptor;
            this.plugin = plugin;
            this.version = version;
            this.ranking = ranking;
            this.serviceId = serviceId;
        }
    }
}
