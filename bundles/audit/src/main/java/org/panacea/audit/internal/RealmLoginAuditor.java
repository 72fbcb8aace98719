package org.panacea.audit.internal;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits every login to the JAAS realm, whatever the door: the ssh console, {@code bin/client}, HTTP Basic. Karaf's
 * realm publishes each outcome on EventAdmin ({@code audit.eventadmin.enabled = true} in
 * {@code etc/org.apache.karaf.jaas.cfg}); the client address comes from the subject's {@link ClientPrincipal}.
 * Attempts are not recorded (their outcome is), nor logouts. A login happened whether or not it could be recorded,
 * so one the trail cannot record is counted as lost ({@link LossAwareRecorder}), never dropped in silence.
 *
 * <p>{@link #handleEvent} only hands the entry to this component's own thread, which records the logins one by one in
 * the order they were delivered, and returns at once. It must not wait for the trail: EventAdmin (Karaf's, Felix's
 * implementation) times every handler call, and a handler that takes longer than
 * {@code org.apache.felix.eventadmin.Timeout} (5 s by default) is denied every later event for as long as it is
 * registered, without a trace anywhere but one log line. A single slow commit (a loaded disk, a lock, a database
 * fail-over) would then have silenced the auditing of every later login until a restart. At most
 * {@value #MAX_QUEUED} logins wait for the trail; one more is counted as lost, as are those still waiting when the
 * component stops and the trail does not take them within {@value #DRAIN_SECONDS} s.
 */
@Component(property = EventConstants.EVENT_TOPIC + "=" + RealmLoginAuditor.TOPIC)
public class RealmLoginAuditor implements EventHandler {

    static final String TOPIC = "org/apache/karaf/login/*";
    static final int MAX_QUEUED = 10_000;
    static final long DRAIN_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(RealmLoginAuditor.class);

    /** A login waiting for the trail. */
    private final class Pending implements Runnable {
        private final AuditEvent event;
        private final Supplier<String> what;

        Pending(AuditEvent event, Supplier<String> what) {
            this.event = event;
            this.what = what;
        }

        @Override
        public void run() {
            recorder.record(event, what);
        }

        void lost(String reason) {
            recorder.countLost(event, what, reason);
        }
    }

    private final LossAwareRecorder recorder = new LossAwareRecorder(LostEventSource.LOGIN);
    private final ThreadPoolExecutor recording;
    private final Duration drainTimeout;

    /** For Declarative Services. */
    public RealmLoginAuditor() {
        this(MAX_QUEUED, Duration.ofSeconds(DRAIN_SECONDS));
    }

    /** With what DS would bind; {@code null} for a service that is not there. */
    RealmLoginAuditor(AuditTrail trail, AnchorJournal journal) {
        this(trail, journal, MAX_QUEUED, Duration.ofSeconds(DRAIN_SECONDS));
    }

    /** As {@link #RealmLoginAuditor(AuditTrail, AnchorJournal)}, with another queue length and time to drain it. */
    RealmLoginAuditor(AuditTrail trail, AnchorJournal journal, int maxQueued, Duration drainTimeout) {
        this(maxQueued, drainTimeout);
        if (trail != null) {
            bindTrail(trail);
        }
        if (journal != null) {
            bindJournal(journal);
        }
    }

    private RealmLoginAuditor(int maxQueued, Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
        this.recording = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(maxQueued),
                runnable -> {
                    Thread thread = new Thread(runnable, "panacea-audit-logins");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Records the logins still waiting, for at most the drain timeout, and counts those the trail did not take by then
     * as lost. The one being recorded is not interrupted: it ends as the trail answers it, recorded or counted.
     */
    @Deactivate
    void close() {
        recording.shutdown();
        try {
            if (recording.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Runnable> waiting = new ArrayList<>();
        recording.getQueue().drainTo(waiting);
        if (waiting.isEmpty()) {
            return;
        }
        LOG.error("The audit trail did not take {} waiting logins within {} ms of stopping", waiting.size(),
                drainTimeout.toMillis());
        for (Runnable pending : waiting) {
            ((Pending) pending).lost("the login auditing stopped while the audit trail did not answer");
        }
    }

    @Reference(name = "trail", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTrail")
    void bindTrail(AuditTrail trail) {
        recorder.bindTrail(trail);
    }

    void unbindTrail(AuditTrail trail) {
        recorder.unbindTrail(trail);
    }

    @Reference(name = "journal", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindJournal")
    void bindJournal(AnchorJournal journal) {
        recorder.bindJournal(journal);
    }

    void unbindJournal(AnchorJournal journal) {
        recorder.unbindJournal(journal);
    }

    @Override
    public void handleEvent(Event event) {
        String type = String.valueOf(event.getProperty("type")).toLowerCase(Locale.ROOT);
        AuditOutcome outcome = switch (type) {
            case "success" -> AuditOutcome.SUCCESS;
            case "failure" -> AuditOutcome.DENIED;
            default -> null;
        };
        if (outcome == null) {
            return;
        }
        String user = String.valueOf(event.getProperty("username"));
        Subject subject = event.getProperty("subject") instanceof Subject s ? s : new Subject();
        String address = subject.getPrincipals(ClientPrincipal.class).stream()
                .map(c -> c.getMethod() + ":" + c.getAddress()).findFirst().orElse("unknown");
        // Panacea's roles only: Karaf's own (ssh, viewer, ...) say nothing about access to patient data.
        String roles = subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                .filter(name -> Role.fromJaasName(name).isPresent()).sorted().collect(Collectors.joining(","));
        Pending pending = new Pending(new AuditEvent(user, roles, AuditAction.LOGIN, "", "", "", outcome, address,
                "JAAS realm login " + type), () -> "The " + type + " login of " + user + " from " + address);
        try {
            recording.execute(pending);
        } catch (RejectedExecutionException e) {
            pending.lost(recording.isShutdown() ? "the login auditing is stopped"
                    : recording.getQueue().size() + " logins already wait for the audit trail");
        }
    }
}
