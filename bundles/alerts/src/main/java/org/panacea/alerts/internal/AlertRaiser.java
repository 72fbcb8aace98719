package org.panacea.alerts.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.alerts.notify.AlertNotifier;
import org.panacea.alerts.rules.Finding;
import org.panacea.alerts.rules.VerificationRule;
import org.panacea.api.alerts.Alert;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.audit.CommittedEntryListener;
import org.panacea.api.audit.VerificationListener;
import org.panacea.api.records.PatientSecurityLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: runs the alert rules over the whole audit trail, every node's entries, on the one node holding the
 * evaluation lease ({@link TrailEvaluator}, {@link EvaluatorLease}), and over every verification of the trail made on
 * this node. An alert is stored where every node sees it, then recorded as an {@code ALERT_RAISED} audit entry (which
 * the audit's syslog export sends on like any entry, over its TLS transport when so configured) and sent by e-mail
 * and webhook when configured.
 *
 * <p>The entries this node commits only wake the evaluator (on the trail's notification thread, never in the audited
 * request): the holder evaluates its own entries within milliseconds of their commit, and those of other nodes within
 * the poll interval ({@code evaluator.poll.milliseconds}). Storing happens on the evaluator's thread, auditing and
 * sending on this component's own, so a slow mail server holds up neither the rules nor the audit export.
 */
@Component(service = {CommittedEntryListener.class, VerificationListener.class}, configurationPid = AlertRaiser.PID)
@Designate(ocd = AlertsConfig.class)
public final class AlertRaiser implements CommittedEntryListener, VerificationListener {

    static final String PID = "org.panacea.alerts";
    static final String ACTOR = "system:alerts";
    static final String RESOURCE_TYPE = "Alert";

    private static final Logger LOG = LoggerFactory.getLogger(AlertRaiser.class);
    private static final int QUEUED_ALERTS = 1000;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final VerificationRule verificationRule;
    private final AlertStore store;
    private final Supplier<AuditTrail> trail;
    private final List<AlertNotifier> notifiers;
    private final String node;
    private final Clock clock;
    private final ThreadPoolExecutor sender;
    private final TrailEvaluator evaluator;
    private final Duration poll;
    private volatile EvaluationThread thread;

    /**
     * Takes the audit trail's service reference, not the trail: the trail holds this component as one of its
     * listeners, so getting one while the other is being created is a cycle, which left the alerts of a node whose
     * trail came first unactivated for good. The trail is got on first use instead, on this component's threads.
     *
     * @throws IllegalArgumentException naming a wrong setting; the component then stays inactive
     */
    @Activate
    public AlertRaiser(@Reference(target = "(osgi.jndi.service.name=panacea-audit)") DataSource dataSource,
            @Reference(service = AuditTrail.class) ServiceReference<AuditTrail> trail, BundleContext context,
            @Reference PatientSecurityLabels labels, AlertsConfig config) throws SQLException {
        this(config, labels, dataSource, new TrailOnFirstUse(context, trail), ConfiguredNotifiers.of(config),
                System.getProperty("karaf.name", "panacea"), Clock.systemUTC());
        thread = new EvaluationThread(evaluator::runOnce, poll);
        thread.start();
        LOG.info("Alerts: {} rules on; notifying {}", new RuleSet(config, labels).size(), notifiers.isEmpty()
                ? "nobody beyond the audit trail" : notifiers);
    }

    /**
     * Evaluates only when told ({@link #evaluator()}): no thread of its own.
     *
     * @param trail the audit trail, {@code null} while there is none
     */
    /** A raiser whose flagged charts are the listed ones only (no record to read labels from). */
    AlertRaiser(AlertsConfig config, DataSource dataSource, Supplier<AuditTrail> trail, List<AlertNotifier> notifiers,
            String node, Clock clock) throws SQLException {
        this(config, null, dataSource, trail, notifiers, node, clock);
    }

    /** @param labels where the flagged-chart rule reads Patients' security labels; {@code null}: labels flag nothing */
    AlertRaiser(AlertsConfig config, PatientSecurityLabels labels, DataSource dataSource, Supplier<AuditTrail> trail,
            List<AlertNotifier> notifiers, String node, Clock clock) throws SQLException {
        RuleSet rules = new RuleSet(config, labels);
        this.poll = poll(config);
        this.trail = trail;
        this.verificationRule = rules.verificationRule();
        this.store = new AlertStore(dataSource);
        this.notifiers = List.copyOf(notifiers);
        this.node = node;
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_ALERTS),
                runnable -> {
                    Thread senderThread = new Thread(runnable, "panacea-alerts");
                    senderThread.setDaemon(true);
                    return senderThread;
                }, new ThreadPoolExecutor.AbortPolicy());
        EvaluatorLease lease = new EvaluatorLease(dataSource, node, leaseTime(config), clock);
        this.evaluator = new TrailEvaluator(trail, lease, dataSource, store, () -> new RuleSet(config, labels),
                this::announceLater);
    }

    /** This node committed entries: the evaluator reads them at once when it holds the lease. */
    @Override
    public void onCommitted(List<AuditEntry> entries) {
        if (thread != null && evaluator.holding()) {
            thread.wake();
        }
    }

    @Override
    public void onVerified(AuditVerification verification) {
        if (verificationRule != null) {
            verificationRule.evaluate(verification, clock.instant()).ifPresent(this::raise);
        }
    }

    @Deactivate
    void stop() {
        if (thread != null) {
            thread.stop();
        }
        evaluator.release();
        sender.shutdown();
        awaitSender();
        // Only now: the sender records the ALERT_RAISED entries of what it still had to send.
        if (trail instanceof TrailOnFirstUse onFirstUse) {
            onFirstUse.close();
        }
    }

    private void awaitSender() {
        try {
            if (!sender.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} alerts were stored but not announced before the alerts stopped",
                        sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    TrailEvaluator evaluator() {
        return evaluator;
    }

    /** Stores a finding of this node's own (a verification) and announces it. */
    private void raise(Finding finding) {
        try {
            announceLater(store.insert(finding, node));
        } catch (SQLException | RuntimeException e) {
            LOG.error("Cannot store the {} alert about {}: {}", finding.rule(), finding.actor(), e.toString());
        }
    }

    private void announceLater(Alert alert) {
        try {
            sender.execute(() -> announce(alert));
        } catch (RejectedExecutionException e) {
            LOG.error("{} alerts are waiting to be sent; alert {} ({} about {}) is stored but not audited or sent",
                    QUEUED_ALERTS, alert.id(), alert.rule(), alert.actor());
        }
    }

    /** Audits and sends one stored alert; each step's failure is logged and does not stop the next. */
    void announce(Alert alert) {
        LOG.warn("Alert {} raised: {} about {}", alert.id(), alert.rule(), alert.actor());
        AuditTrail auditTrail = trail.get();
        try {
            if (auditTrail == null) {
                throw new AuditException("the audit trail is not available", null);
            }
            auditTrail.record(new AuditEvent(ACTOR, alert.rule().name(), AuditAction.ALERT_RAISED, RESOURCE_TYPE,
                    alert.id() + ":" + alert.rule() + ":" + alert.actor(), alert.patientId(), AuditOutcome.SUCCESS,
                    "internal", alert.summary()));
        } catch (AuditException | IllegalArgumentException e) {
            LOG.error("Alert {} is stored but could not be recorded in the audit trail: {}", alert.id(), e.toString());
        }
        for (AlertNotifier notifier : notifiers) {
            try {
                notifier.send(alert);
            } catch (IOException | RuntimeException e) {
                LOG.error("Alert {} could not be sent by {}: {}", alert.id(), notifier, e.toString());
            }
        }
    }

    private static Duration leaseTime(AlertsConfig config) {
        if (config.evaluator_lease_seconds() < 2) {
            throw new IllegalArgumentException("evaluator.lease.seconds must be at least 2, was "
                    + config.evaluator_lease_seconds());
        }
        return Duration.ofSeconds(config.evaluator_lease_seconds());
    }

    /** The poll must leave the holder time to renew its lease several times before it expires. */
    private static Duration poll(AlertsConfig config) {
        int poll = config.evaluator_poll_milliseconds();
        long most = leaseTime(config).toMillis() / 3;
        if (poll < 50 || poll > most) {
            throw new IllegalArgumentException("evaluator.poll.milliseconds must be in 50.." + most
                    + " (a third of evaluator.lease.seconds), was " + poll);
        }
        return Duration.ofMillis(poll);
    }

    /** The audit trail got from its reference the first time it is needed, and let go when the alerts stop. */
    private static final class TrailOnFirstUse implements Supplier<AuditTrail> {
        private final BundleContext context;
        private final ServiceReference<AuditTrail> reference;
        private AuditTrail trail;
        private boolean closed;

        TrailOnFirstUse(BundleContext context, ServiceReference<AuditTrail> reference) {
            this.context = context;
            this.reference = reference;
        }

        @Override
        public synchronized AuditTrail get() {
            if (trail == null && !closed) {
                trail = context.getService(reference);
            }
            return trail;
        }

        synchronized void close() {
            closed = true;
            if (trail != null) {
                trail = null;
                context.ungetService(reference);
            }
        }
    }
}
