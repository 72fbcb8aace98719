package org.panacea.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;

/**
 * What every plugin owes the platform, whatever its kind: a service registration that agrees with its descriptor,
 * and nothing left behind (threads, static state) once it is deactivated. {@link ImagingAlgorithmContract} and
 * {@link PredictionModelContract} add the checks of their kind; vendors extend one of those.
 * <p>
 * Each test activates its own instance through {@link #activate()} (do there what your {@code @Activate} method
 * does) and deactivates it through {@link #deactivate} afterwards. To leave out a check that cannot apply to your
 * plugin, override its method with {@code @Disabled("why")}.
 *
 * @param <P> the service type
 */
public abstract class PluginContract<P> {

    private final List<P> active = new ArrayList<>();

    /** A new, activated instance, as Declarative Services would make it (constructor, {@code @Activate}). */
    protected abstract P activate() throws Exception;

    /** Deactivates an instance made by {@link #activate()}, as DS would ({@code @Deactivate}); nothing by default. */
    protected void deactivate(P plugin) throws Exception {
        // a plugin without @Deactivate has nothing to release
    }

    /** How long after an interruption a call may still run. */
    protected Duration interruptionDeadline() {
        return Duration.ofSeconds(2);
    }

    /** How long threads may take to end after deactivation (a pool's workers end shortly after shutdown). */
    protected Duration threadStopGrace() {
        return Duration.ofSeconds(2);
    }

    /** How many threads call one instance at once in the thread-safety check. */
    protected int concurrentCallers() {
        return 8;
    }

    /** The service interface of this kind of plugin. */
    abstract Class<?> serviceType();

    /** The plugin identity in the instance's descriptor. */
    abstract PluginDescriptor identity(P plugin);

    /** Calls the plugin once with every sample, as a working day would (for the checks of what is left behind). */
    abstract void exercise(P plugin) throws Exception;

    /** An instance for this test, deactivated after it. */
    protected final P plugin() throws Exception {
        if (active.isEmpty()) {
            return activated();
        }
        return active.get(0);
    }

    final P activated() throws Exception {
        P plugin = activate();
        if (plugin == null) {
            fail("activate() returned null");
        }
        active.add(plugin);
        return plugin;
    }

    final void deactivated(P plugin) throws Exception {
        active.remove(plugin);
        deactivate(plugin);
    }

    @AfterEach
    final void deactivateWhatIsStillActive() throws Exception {
        for (P plugin : new ArrayList<>(active)) {
            deactivated(plugin);
        }
    }

    /**
     * The component registers the kind's service with {@code panacea.plugin.id} and {@code panacea.plugin.version}
     * equal to its descriptor's (the engine refuses a service whose properties contradict its descriptor). Read from
     * the DS description bnd wrote; skipped when the class path has none (a run that skipped bnd).
     */
    @Test
    public void serviceRegistrationMatchesTheDescriptor() throws Exception {
        P plugin = plugin();
        Optional<ComponentDescription> component = ComponentDescription.of(plugin.getClass());
        Assumptions.assumeTrue(component.isPresent(), "no OSGI-INF/" + plugin.getClass().getName()
                + ".xml on the class path: run the tests through Maven, after bnd-process");
        ComponentDescription description = component.get();
        PluginDescriptor identity = identity(plugin);
        assertTrue(description.services().contains(serviceType().getName()),
                "the component must provide " + serviceType().getName() + ", provides " + description.services());
        assertEquals(identity.id(), description.properties().get(PluginHeaders.SERVICE_PLUGIN_ID),
                "service property " + PluginHeaders.SERVICE_PLUGIN_ID + " must equal the descriptor's id");
        assertEquals(identity.version(), description.properties().get(PluginHeaders.SERVICE_PLUGIN_VERSION),
                "service property " + PluginHeaders.SERVICE_PLUGIN_VERSION + " must equal the descriptor's version");
    }

    /**
     * After activation, a day's work and deactivation, no thread the plugin started is still alive. A thread left
     * running pins the uninstalled bundle's classes in memory and keeps working for a plugin that is gone.
     */
    @Test
    public void leavesNoThreadBehindAfterDeactivation() throws Exception {
        LiveThreads before = LiveThreads.snapshot();
        P plugin = activated();
        exercise(plugin);
        deactivated(plugin);
        List<String> left = before.startedAndStillAlive(threadStopGrace());
        assertTrue(left.isEmpty(), "threads still alive " + threadStopGrace().toMillis()
                + " ms after deactivation (stop them in @Deactivate): " + left);
    }

    /**
     * Static fields of the plugin's classes hold after a second activation, a day's work and deactivation what they
     * held before the first activation (or, for a package other than the test's, after the first deactivation).
     * Static caches, counters and executors outlive the instance: the next instance, or the next version in the same
     * platform, finds them.
     */
    @Test
    public void leavesNoStaticStateBehindAfterDeactivation() throws Exception {
        StaticState beforeAnything = StaticState.of(StaticState.classesOf(getClass()));
        P first = activated();
        Class<?> implementation = first.getClass();
        deactivated(first);
        List<Class<?>> classes = StaticState.classesOf(implementation);
        StaticState afterFirstCycle = StaticState.of(classes);
        P second = activated();
        exercise(second);
        deactivated(second);
        List<String> changes = StaticState.of(classes).changesSince(afterFirstCycle.withBaseline(beforeAnything));
        assertTrue(changes.isEmpty(), "static fields changed by the plugin and not restored by @Deactivate "
                + "(keep state in the instance): " + changes);
    }

    /**
     * Calls {@code call} for every task from {@link #concurrentCallers()} threads at once, {@code rounds} times
     * over, and returns the first problem {@code check} reports for any answer (or {@code null}).
     */
    final <T> String concurrently(List<Callable<T>> calls, int rounds, AnswerCheck<T> check) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(concurrentCallers(), runnable -> {
            Thread thread = new Thread(runnable, "panacea-testkit-caller");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < calls.size(); i++) {
                    int task = i;
                    answers.add(callers.submit(() -> {
                        start.await();
                        return check.problem(task, calls.get(task).call());
                    }));
                }
            }
            start.countDown();
            for (Future<String> answer : answers) {
                String problem = answer.get(5, TimeUnit.MINUTES);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        } finally {
            callers.shutdownNow();
            callers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Judges one answer of a concurrent call. */
    @FunctionalInterface
    interface AnswerCheck<T> {
        /** The problem with answer {@code answer} to task {@code task}, or {@code null}. */
        String problem(int task, T answer) throws Exception;
    }

    /** Fails unless the call ended within the deadline after its thread was interrupted. */
    final void assertEndsWhenInterrupted(Callable<?> call, String what) throws InterruptedException {
        Interruption.Outcome outcome = Interruption.of(call, Duration.ofMillis(20), interruptionDeadline());
        if (!outcome.ended()) {
            fail(what + " was still running " + interruptionDeadline().toMillis() + " ms after its thread was "
                    + "interrupted: check Thread.currentThread().isInterrupted() in long loops (the engine interrupts "
                    + "calls that run past their time limit)");
        }
        if (outcome.failure() instanceof Error error && !(error instanceof AssertionError)) {
            fail(what + " ended with " + error + " when interrupted", error);
        }
    }
}
