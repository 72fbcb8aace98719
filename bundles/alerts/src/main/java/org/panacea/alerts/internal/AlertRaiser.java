package org.panacea.alerts.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.alerts.notify.AlertNotifier;
import org.panacea.alerts.rules.Finding;
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
 * Runs the alert rules over the entries this node commits (and over every verification of the trail), and raises
 * what they find: stores the alert where every node sees it, records an {@code ALERT_RAISED} audit entry (which the
 * audit's syslog export sends on like any entry, over its TLS transport when so configured) and sends it by e-mail
 * and webhook when configured.
 *
 * <p>Rules run on the trail's notification thread (they only count in memory); storing, auditing and sending run on
 * this component's own thread, so a slow mail server never holds up the audit export. Each node evaluates the
 * entries it committed: behind a load balancer, a burst one user spreads over several nodes is counted per node (see
 * README "Alerts").
 */
@Component(service = {CommittedEntryListener.class, VerificationListener.class}, configurationPid = AlertRaiser.PID)
@Designate(ocd = AlertsConfig.class)
public final class AlertRaiser implements CommittedEntryListener, VerificationListener {

    static final String PID = "org.panacea.alerts";
    static final String ACTOR = "system:alerts";
    static final String RESOURCE_TYPE = "Alert";

    private static final Logger LOG = LoggerFactory.getLogger(AlertRaiser.class);
    /** Entries about alerts themselves never feed the rules: an alert must not raise alerts. */
    private static final Set<AuditAction> OWN = EnumSet.of(AuditAction.ALERT_RAISED, AuditAction.ALERT_ACKNOWLEDGED);
    private static final int QUEUED_ALERTS = 1000;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final RuleSet rules;
    private final AlertStore store;
    private final AuditTrail trail;
    private final List<AlertNotifier> notifiers;
    private final String node;
    private final Clock clock;
    private final ThreadPoolExecutor sender;

    /** @throws IllegalArgumentException naming a wrong setting; the component then stays inactive */
    @Activate
    public AlertRaiser(@Reference(target = "(osgi.jndi.service.name=panacea-audit)") DataSource dataSource,
            @Reference AuditTrail trail, @Reference PatientSecurityLabels labels, AlertsConfig config)
            throws SQLException {
        this(new RuleSet(config, labels), new AlertStore(dataSource), trail, ConfiguredNotifiers.of(config),
                System.getProperty("karaf.name", "panacea"), Clock.systemUTC());
        LOG.info("Alerts: {} rules on; notifying {}", rules.size(), notifiers.isEmpty() ? "nobody beyond the audit"
                + " trail" : notifiers);
    }

    AlertRaiser(RuleSet rules, AlertStore store, AuditTrail trail, List<AlertNotifier> notifiers, String node,
            Clock clock) {
        this.rules = rules;
        this.store = store;
        this.trail = trail;
        this.notifiers = List.copyOf(notifiers);
        this.node = node;
        this.clock = clock;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_ALERTS),
                runnable -> {
                    Thread thread = new Thread(runnable, "panacea-alerts");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void onCommitted(List<AuditEntry> entries) {
        List<Finding> findings = new ArrayList<>();
        synchronized (rules) {
            for (AuditEntry entry : entries) {
                if (!OWN.contains(entry.event().action())) {
                    findings.addAll(rules.evaluate(entry));
                }
            }
        }
        findings.forEach(this::queue);
    }

    @Override
    public void onVerified(AuditVerification verification) {
        if (rules.verificationRule() != null) {
            rules.verificationRule().evaluate(verification, clock.instant()).ifPresent(this::queue);
        }
    }

    @Deactivate
    void stop() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} alerts were not raised before the alerts stopped", sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void queue(Finding finding) {
        try {
            sender.execute(() -> raise(finding));
        } catch (RejectedExecutionException e) {
            LOG.error("{} alerts are waiting; the {} alert about {} (audit entry {}) is dropped", QUEUED_ALERTS,
                    finding.rule(), finding.actor(), finding.auditSequence());
        }
    }

    /** Stores, audits and sends one finding; each step's failure is logged and does not stop the next. */
    void raise(Finding finding) {
        Alert alert;
        try {
            alert = store.insert(finding, node);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Cannot store the {} alert about {} (audit entry {}): {}", finding.rule(), finding.actor(),
                    finding.auditSequence(), e.toString());
            return;
        }
        LOG.warn("Alert {} raised: {} about {}", alert.id(), alert.rule(), alert.actor());
        try {
            trail.record(new AuditEvent(ACTOR, alert.rule().name(), AuditAction.ALERT_RAISED, RESOURCE_TYPE,
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
}
