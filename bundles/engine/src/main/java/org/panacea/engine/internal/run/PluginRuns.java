package org.panacea.engine.internal.run;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.VersionRange;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.engine.internal.PluginKind;
import org.panacea.engine.internal.audit.AuditDetails;
import org.panacea.engine.internal.audit.RunAudit;
import org.panacea.engine.internal.parameters.InvalidParametersException;
import org.panacea.engine.internal.registry.HotSwapRegistry;
import org.panacea.engine.internal.registry.PluginLease;
import org.panacea.engine.internal.registry.PluginNotFoundException;
import org.panacea.engine.internal.registry.VersionRanges;

/**
 * Runs plugins of one kind for a caller, the same way for every kind: the access policy first, then the time limit,
 * the version range and the kind's own checks of the request ({@link #start}), a lease on the plugin (waiting for a
 * replacement during a swap), the kind's preparation of the input ({@link Run#prepare}), the call through the
 * {@link PluginRunner}, the kind's handling of the answer ({@link Run#finish}), and one audit entry per run: a success
 * only once it is durable; {@link AuditOutcome#FAILURE} when the request or its input was refused,
 * {@link AuditOutcome#ERROR} when the plugin or the platform failed. Thread-safe.
 *
 * @param <S> the plugin service type
 * @param <D> its descriptor type
 * @param <Q> the request type
 * @param <R> what a successful run produced
 */
public abstract class PluginRuns<S, D, Q extends PluginRequest, R> {

    private final PluginKind kind;
    private final HotSwapRegistry<S, D> registry;
    private final PluginRunner runner;
    private final AccessPolicy policy;
    private final RunAudit audit;

    protected PluginRuns(PluginKind kind, HotSwapRegistry<S, D> registry, PluginRunner runner, AccessPolicy policy,
            AuditTrail trail) {
        this.kind = kind;
        this.registry = registry;
        this.runner = runner;
        this.policy = policy;
        this.audit = new RunAudit(trail);
    }

    /** The kind of plugin these runs run. */
    public final PluginKind kind() {
        return kind;
    }

    /** Every registered plugin of the kind, by id, the highest version first. */
    public final List<D> catalogue() {
        return registry.available();
    }

    /** The registered versions of plugin {@code id}, the highest first; empty when none is. */
    public final List<D> versions(String id) {
        return registry.available(id);
    }

    /**
     * Checks that {@code caller} may run plugins of the kind at all, before a request is even read ({@link #run}
     * checks again).
     *
     * @throws AccessDeniedException when not (audited by the policy)
     */
    public final void requireAccess(Caller caller) {
        policy.require(caller, kind.operation(), kind.resourceType());
    }

    /**
     * Runs one plugin. The kind's class says what else it checks and throws.
     *
     * @throws AccessDeniedException       when the caller may not run plugins of the kind (audited by the policy)
     * @throws IllegalArgumentException    for a malformed request (version range, time limit, ...)
     * @throws PluginNotFoundException     when no version of the plugin in range is installed
     * @throws InvalidParametersException  when the values given do not fit the plugin's schema
     * @throws PluginRefusedException      when the plugin refuses the input
     * @throws AuditException              when the run succeeded but could not be audited (reported as failed)
     * @throws RuntimeException            the runner's failures: saturation, memory, time-out, crash
     */
    public final R run(Caller caller, Q request) {
        requireAccess(caller);
        AuditDetails details = details(request);
        try {
            return run(caller, request, details);
        } catch (AccessDeniedException | AuditException e) {
            throw e;
        } catch (RuntimeException e) {
            audit.failure(caller, kind.auditAction(), kind.auditType(), request.pluginId(),
                    refused(e) ? AuditOutcome.FAILURE : AuditOutcome.ERROR, details, e);
            throw e;
        }
    }

    /** The runner, for the kind's estimate of the memory a call needs. */
    protected final PluginRunner runner() {
        return runner;
    }

    /** The access policy, for the kind's decisions beyond running (storing what a run produced). */
    protected final AccessPolicy policy() {
        return policy;
    }

    /** The details a run's audit entry starts with, before anything is checked: what was asked for. */
    protected abstract AuditDetails details(Q request);

    /**
     * Checks what the kind needs of the request before a plugin is leased, and begins the run.
     *
     * @throws RuntimeException when the request cannot run (audited by {@link #run})
     */
    protected abstract Run<S, D, ?, R> start(Caller caller, Q request, AuditDetails details);

    /**
     * {@code true} when {@code failure} is the kind's own way of refusing the request or its input (audited as
     * {@link AuditOutcome#FAILURE}); a malformed request, an unknown plugin, invalid parameters and a refusal by the
     * plugin are refusals of every kind.
     */
    protected abstract boolean refusesInput(RuntimeException failure);

    /**
     * The steps of one run after {@link #start}, holding what the run has learnt so far. One per run.
     *
     * @param <T> what the plugin's code returns
     */
    public interface Run<S, D, T, R> {

        /**
         * With the plugin leased and its version in the details: checks and reads the input, adds it to the
         * details, and returns the call into the plugin. No plugin code runs here.
         */
        Call<T> prepare(PluginLease<S, D> lease);

        /**
         * Handles the plugin's answer (never {@code null}): keeps what the kind keeps, completes the details and
         * returns the outcome. The run is audited as a success after this returns.
         */
        R finish(PluginLease<S, D> lease, PluginRunner.Completed<T> completed);
    }

    /**
     * A prepared call into a plugin.
     *
     * @param workingBytes the memory the call is expected to need (0 when it is small)
     * @param call         the call, run on an engine thread
     */
    public record Call<T>(long workingBytes, PluginCall<T> call) {
    }

    private R run(Caller caller, Q request, AuditDetails details) {
        Duration timeLimit = runner.requestedLimit(request.timeoutSeconds());
        Optional<VersionRange> range = VersionRanges.parse(request.versionRange());
        Run<S, D, ?, R> run = start(caller, request, details);
        return call(caller, run, registry.acquire(request.pluginId(), range), timeLimit, details);
    }

    private <T> R call(Caller caller, Run<S, D, T, R> run, PluginLease<S, D> lease, Duration timeLimit,
            AuditDetails details) {
        boolean handedOver = false;
        try {
            PluginDescriptor plugin = lease.plugin();
            details.put("version", plugin.version());
            if (lease.modelSha256() != null) {
                // the model file that answered (model-only plugins): which weights made this result
                details.put("model.sha256", lease.modelSha256());
            }
            Call<T> call = run.prepare(lease);
            handedOver = true;
            PluginRunner.Completed<T> completed = runner.run(lease.name(), timeLimit, call.workingBytes(), lease,
                    call.call());
            if (completed.value() == null) {
                throw new PluginCrashedException(lease.name() + " returned no " + kind.answer());
            }
            R result = run.finish(lease, completed);
            audit.success(caller, kind.auditAction(), kind.auditType(), plugin.id(), details);
            return result;
        } finally {
            if (!handedOver) {
                lease.close();
            }
        }
    }

    private boolean refused(RuntimeException failure) {
        return failure instanceof PluginRefusedException || failure instanceof InvalidParametersException
                || failure instanceof PluginNotFoundException || failure instanceof IllegalArgumentException
                || refusesInput(failure);
    }
}
