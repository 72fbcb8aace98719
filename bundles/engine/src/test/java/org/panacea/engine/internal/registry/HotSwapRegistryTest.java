package org.panacea.engine.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.internal.EngineUnavailableException;

class HotSwapRegistryTest {

    private static final String ID = "imaging.test-filter";

    private static HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> registry(Duration grace, Duration unbindWait) {
        return new HotSwapRegistry<>("imaging algorithm", ImagingAlgorithm::descriptor, d -> d,
                new SwapTimings(grace, unbindWait));
    }

    private static FakeAlgorithm add(HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> registry, String version) {
        FakeAlgorithm algorithm = FakeAlgorithm.doubling(ID, version);
        assertTrue(registry.add(algorithm, algorithm.properties()));
        return algorithm;
    }

    private static String acquiredVersion(HotSwapRegistry<ImagingAlgorithm, PluginDescriptor> registry, String range) {
        try (PluginLease<ImagingAlgorithm, PluginDescriptor> lease = registry.acquire(ID, VersionRanges.parse(range))) {
            return lease.plugin().version();
        }
    }

    @Test
    void theHighestVersionInTheRangeIsChosen() {
        var registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(5));
        add(registry, "1.0.0");
        add(registry, "1.2.0");
        add(registry, "2.0.0");

        assertEquals("2.0.0", acquiredVersion(registry, null));
        assertEquals("1.2.0", acquiredVersion(registry, "[1.0,2.0)"));
        assertEquals("2.0.0", acquiredVersion(registry, "1.1"), "a bare version means that version or newer");
        assertEquals("1.0.0", acquiredVersion(registry, "[1.0.0,1.0.0]"));
        assertEquals("1.2.0", acquiredVersion(registry, "(1.0.0,1.2.0]"));
    }

    @Test
    void aVersionOutOfRangeFailsAtOnceListingTheInstalledVersions() {
        var registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(5));
        add(registry, "1.0.0");
        add(registry, "2.0.0");
        long start = System.nanoTime();

        PluginNotFoundException e = assertThrows(PluginNotFoundException.class,
                () -> registry.acquire(ID, VersionRanges.parse("[3.0,4.0)")));

        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no grace period for an id never lost");
        assertEquals("no version of imaging algorithm 'imaging.test-filter' in range [3.0.0,4.0.0) is installed; "
                + "installed versions: 2.0.0, 1.0.0", e.getMessage());
    }

    @Test
    void anUnknownIdFailsAtOnceNamingWhatIsInstalled() {
        var registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(5));
        add(registry, "1.0.0");

        PluginNotFoundException e = assertThrows(PluginNotFoundException.class,
                () -> registry.acquire("imaging.nothing", Optional.empty()));

        assertEquals("no imaging algorithm 'imaging.nothing' is installed; installed: imaging.test-filter",
                e.getMessage());
    }

    @Test
    void aMalformedRangeIsRefusedWithTheSyntax() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionRanges.parse("[1,2"));
        assertTrue(e.getMessage().startsWith("version: '[1,2' is not a version range; write [1.0,2.0)"),
                e.getMessage());
        assertEquals(Optional.empty(), VersionRanges.parse("  "));
    }

    @Test
    void removalBlocksUntilTheCallsOnTheOldInstanceReturn() throws Exception {
        var registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(10));
        FakeAlgorithm old = add(registry, "1.0.0");
        PluginLease<ImagingAlgorithm, PluginDescriptor> inFlight = registry.acquire(ID, Optional.empty());

        CompletableFuture<Void> removal = CompletableFuture.runAsync(() -> registry.remove(old, old.properties()));
        Thread.sleep(150);
        assertFalse(removal.isDone(), "the unbind must wait for the call in flight");

        // Meanwhile a new call is not given the departing instance: it waits for the replacement.
        CompletableFuture<String> newCall = CompletableFuture.supplyAsync(() -> acquiredVersion(registry, null));
        Thread.sleep(50);
        assertFalse(newCall.isDone());
        assertSame(old, inFlight.service(), "the call in flight keeps its instance");

        inFlight.close();
        removal.get(2, TimeUnit.SECONDS);
        add(registry, "1.0.1");
        assertEquals("1.0.1", newCall.get(2, TimeUnit.SECONDS));
    }

    @Test
    void aNewCallWaitsForTheReplacementAndSaysHowLong() throws Exception {
        var registry = registry(Duration.ofSeconds(5), Duration.ofSeconds(5));
        FakeAlgorithm old = add(registry, "1.0.0");
        registry.remove(old, old.properties());

        CompletableFuture<Duration> waited = CompletableFuture.supplyAsync(() -> {
            try (var lease = registry.acquire(ID, Optional.empty())) {
                assertEquals("1.1.0", lease.plugin().version());
                return lease.waited();
            }
        });
        Thread.sleep(200);
        add(registry, "1.1.0");

        Duration wait = waited.get(2, TimeUnit.SECONDS);
        assertTrue(wait.toMillis() >= 150 && wait.toMillis() < 2000, "waited " + wait);
    }

    @Test
    void whileTheEngineStartsACallWaitsForAPluginNotYetRegistered() throws Exception {
        var registry = new HotSwapRegistry<ImagingAlgorithm, PluginDescriptor>("imaging algorithm",
                ImagingAlgorithm::descriptor, d -> d, new SwapTimings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofSeconds(5)));

        CompletableFuture<Duration> waited = CompletableFuture.supplyAsync(() -> {
            try (var lease = registry.acquire(ID, Optional.empty())) {
                assertEquals("1.0.0", lease.plugin().version());
                return lease.waited();
            }
        });
        Thread.sleep(200);
        add(registry, "1.0.0");

        Duration wait = waited.get(2, TimeUnit.SECONDS);
        assertTrue(wait.toMillis() >= 150 && wait.toMillis() < 2000, "waited " + wait);
    }

    @Test
    void onceTheEngineHasStartedAnUnknownIdFailsAtOnceAndDuringTheStartAfterTheWait() throws Exception {
        var starting = new HotSwapRegistry<ImagingAlgorithm, PluginDescriptor>("imaging algorithm",
                ImagingAlgorithm::descriptor, d -> d, new SwapTimings(Duration.ofSeconds(5), Duration.ofSeconds(5),
                        Duration.ofMillis(300)));
        long start = System.nanoTime();
        PluginNotFoundException e = assertThrows(PluginNotFoundException.class,
                () -> starting.acquire("imaging.nothing", Optional.empty()));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= 200 && waitedMillis < 2000, "waited " + waitedMillis + " ms");
        assertEquals("no imaging algorithm 'imaging.nothing' is installed (none is installed); none came while the "
                + "engine started (300 ms)", e.getMessage());

        // The start is over: no wait at all.
        start = System.nanoTime();
        assertThrows(PluginNotFoundException.class, () -> starting.acquire("imaging.nothing", Optional.empty()));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "no wait after the start");
    }

    @Test
    void aNewCallFailsClearlyWhenNoReplacementComesWithinTheGracePeriod() {
        var registry = registry(Duration.ofMillis(300), Duration.ofSeconds(5));
        FakeAlgorithm old = add(registry, "1.0.0");
        registry.remove(old, old.properties());
        long start = System.nanoTime();

        PluginNotFoundException e = assertThrows(PluginNotFoundException.class,
                () -> registry.acquire(ID, Optional.empty()));

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= 290 && waitedMillis < 2000, "waited " + waitedMillis + " ms");
        assertEquals("no imaging algorithm 'imaging.test-filter' is installed (none is installed); it went away and "
                + "no replacement came within the grace period of 300 ms", e.getMessage());
    }

    @Test
    void aReplacementOutsideTheRangeDoesNotEndTheWait() {
        var registry = registry(Duration.ofMillis(300), Duration.ofSeconds(5));
        FakeAlgorithm old = add(registry, "1.0.0");
        registry.remove(old, old.properties());
        add(registry, "2.0.0");

        PluginNotFoundException e = assertThrows(PluginNotFoundException.class,
                () -> registry.acquire(ID, VersionRanges.parse("[1.0,2.0)")));

        assertTrue(e.getMessage().contains("installed versions: 2.0.0; it went away and no replacement came"),
                e.getMessage());
    }

    @Test
    void theUnbindGivesUpAfterItsLimitSoABlockedPluginCannotHangTheFramework() {
        var registry = registry(Duration.ofSeconds(5), Duration.ofMillis(200));
        FakeAlgorithm old = add(registry, "1.0.0");
        PluginLease<ImagingAlgorithm, PluginDescriptor> stuck = registry.acquire(ID, Optional.empty());
        long start = System.nanoTime();

        registry.remove(old, old.properties());

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= 190 && waitedMillis < 2000, "waited " + waitedMillis + " ms");
        stuck.close();
        stuck.close();
        assertEquals(List.of(), registry.available());
    }

    @Test
    void aServiceWhosePropertiesContradictItsDescriptorIsIgnored() {
        var registry = registry(Duration.ofSeconds(1), Duration.ofSeconds(1));
        FakeAlgorithm wrongId = FakeAlgorithm.doubling(ID, "1.0.0");
        Map<String, Object> properties = wrongId.properties();
        properties.put(PluginHeaders.SERVICE_PLUGIN_ID, "imaging.other");
        FakeAlgorithm wrongVersion = FakeAlgorithm.doubling(ID, "1.0.0");
        Map<String, Object> versionProperties = wrongVersion.properties();
        versionProperties.put(PluginHeaders.SERVICE_PLUGIN_VERSION, "1.0.1");

        assertFalse(registry.add(wrongId, properties));
        assertFalse(registry.add(wrongVersion, versionProperties));
        assertEquals(List.of(), registry.available());
    }

    @Test
    void aServiceWithoutPropertiesIsFoundByItsDescriptor() {
        var registry = registry(Duration.ofSeconds(1), Duration.ofSeconds(1));
        FakeAlgorithm bare = FakeAlgorithm.doubling(ID, "1.3.0");

        assertTrue(registry.add(bare, Map.of()));

        assertEquals("1.3.0", acquiredVersion(registry, null));
        registry.remove(bare, Map.of());
        assertEquals(List.of(), registry.available());
    }

    @Test
    void equalVersionsAreDecidedByRankingThenByTheNewestRegistration() {
        var registry = registry(Duration.ofSeconds(1), Duration.ofSeconds(1));
        FakeAlgorithm first = add(registry, "1.0.0");
        FakeAlgorithm second = add(registry, "1.0.0");
        try (var lease = registry.acquire(ID, Optional.empty())) {
            assertSame(second, lease.service(), "the newest registration (highest service.id) wins a tie");
        }
        FakeAlgorithm ranked = FakeAlgorithm.doubling(ID, "1.0.0");
        Map<String, Object> properties = ranked.properties();
        properties.put("service.id", 1L);
        properties.put("service.ranking", 10);
        registry.add(ranked, properties);
        try (var lease = registry.acquire(ID, Optional.empty())) {
            assertSame(ranked, lease.service());
        }
        assertEquals(3, registry.available().size());
        assertFalse(first == second);
    }

    @Test
    void closingFailsTheCallsWaitingForAReplacement() throws Exception {
        var registry = registry(Duration.ofSeconds(10), Duration.ofSeconds(1));
        FakeAlgorithm old = add(registry, "1.0.0");
        registry.remove(old, old.properties());
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> acquiredVersion(registry, null));
        Thread.sleep(100);

        registry.close();

        var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(2, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof EngineUnavailableException, failure.getCause().toString());
        assertEquals("the engine is stopping; try again shortly", failure.getCause().getMessage());
    }
}
