package org.panacea.audit.internal;

import java.security.Principal;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.osgi.service.component.annotations.Component;
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

/**
 * Audits every login to the JAAS realm, whatever the door: the ssh console, {@code bin/client}, HTTP Basic. Karaf's
 * realm publishes each outcome on EventAdmin ({@code audit.eventadmin.enabled = true} in
 * {@code etc/org.apache.karaf.jaas.cfg}); the client address comes from the subject's {@link ClientPrincipal}.
 * Attempts are not recorded (their outcome is), nor logouts. A login happened whether or not it could be recorded,
 * so one the trail cannot record is counted as lost ({@link LossAwareRecorder}), never dropped in silence.
 */
@Component(property = EventConstants.EVENT_TOPIC + "=" + RealmLoginAuditor.TOPIC)
public class RealmLoginAuditor implements EventHandler {

    static final String TOPIC = "org/apache/karaf/login/*";

    private final LossAwareRecorder recorder = new LossAwareRecorder(LostEventSource.LOGIN);

    /** For Declarative Services. */
    public RealmLoginAuditor() {
    }

    /** With what DS would bind; {@code null} for a service that is not there. */
    RealmLoginAuditor(AuditTrail trail, AnchorJournal journal) {
        if (trail != null) {
            bindTrail(trail);
        }
        if (journal != null) {
            bindJournal(journal);
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
        recorder.record(new AuditEvent(user, roles, AuditAction.LOGIN, "", "", "", outcome, address,
                "JAAS realm login " + type), () -> "The " + type + " login of " + user + " from " + address);
    }
}
