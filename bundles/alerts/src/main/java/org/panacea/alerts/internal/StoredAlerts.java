package org.panacea.alerts.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.AlertAlreadyAcknowledgedException;
import org.panacea.api.alerts.Alerts;
import org.panacea.api.alerts.UnknownAlertException;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;

/**
 * The alerts of every node, for auditors: the policy decides ({@code READ_AUDIT}, so auditors only; a refusal is
 * audited by the policy), an acknowledgement is audited as {@code ALERT_ACKNOWLEDGED} with its note as the entry's
 * details, and the note is stored sealed with the platform's field encryption. Thread-safe.
 */
@Component(service = Alerts.class)
public final class StoredAlerts implements Alerts {

    private final AlertStore store;
    private final AccessPolicy policy;
    private final AuditTrail trail;
    private final FieldEncryption encryption;
    private final Clock clock;

    @Activate
    public StoredAlerts(@Reference(target = "(osgi.jndi.service.name=panacea-audit)") DataSource dataSource,
            @Reference AccessPolicy policy, @Reference AuditTrail trail, @Reference FieldEncryption encryption)
            throws SQLException {
        this(new AlertStore(dataSource), policy, trail, encryption, Clock.systemUTC());
    }

    StoredAlerts(AlertStore store, AccessPolicy policy, AuditTrail trail, FieldEncryption encryption, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.trail = trail;
        this.encryption = encryption;
        this.clock = clock;
    }

    @Override
    public List<Alert> list(Caller caller, boolean openOnly, int limit) throws AccessDeniedException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        policy.require(caller, Operation.READ_AUDIT, AlertRaiser.RESOURCE_TYPE);
        try {
            List<Alert> alerts = new ArrayList<>();
            for (AlertStore.StoredAlert row : store.list(openOnly, limit)) {
                alerts.add(open(row));
            }
            return alerts;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the alerts: " + e.getMessage(), e);
        }
    }

    @Override
    public Alert acknowledge(Caller caller, long id, String note) throws AccessDeniedException {
        policy.require(caller, Operation.READ_AUDIT, AlertRaiser.RESOURCE_TYPE);
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("An acknowledgement needs a note saying why the alert is settled");
        }
        String text = note.strip();
        if (text.length() > NOTE_LENGTH) {
            throw new IllegalArgumentException("The note is " + text.length() + " characters long, at most "
                    + NOTE_LENGTH + " are kept");
        }
        try {
            AlertStore.StoredAlert before = store.find(id).orElseThrow(() -> new UnknownAlertException(id));
            if (before.acknowledgedBy() != null) {
                throw alreadyAcknowledged(before);
            }
            Instant now = clock.instant();
            // Audited before it is stored: an acknowledgement that cannot be audited does not happen.
            trail.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.ALERT_ACKNOWLEDGED,
                    AlertRaiser.RESOURCE_TYPE, Long.toString(id), before.patientId(), AuditOutcome.SUCCESS,
                    caller.clientAddress(), text));
            if (!store.acknowledge(id, caller.name(), now, seal(id, text))) {
                // Another auditor got there first, between the read and the update.
                throw alreadyAcknowledged(store.find(id).orElseThrow(() -> new UnknownAlertException(id)));
            }
            return open(store.find(id).orElseThrow(() -> new UnknownAlertException(id)));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot acknowledge alert " + id + ": " + e.getMessage(), e);
        }
    }

    private static AlertAlreadyAcknowledgedException alreadyAcknowledged(AlertStore.StoredAlert alert) {
        return new AlertAlreadyAcknowledgedException("Alert " + alert.id() + " was acknowledged by "
                + alert.acknowledgedBy()
                + " at " + alert.acknowledgedAt());
    }

    private Alert open(AlertStore.StoredAlert row) {
        Optional<Alert.Acknowledgement> acknowledgement = Optional.empty();
        if (row.acknowledgedBy() != null) {
            acknowledgement = Optional.of(new Alert.Acknowledgement(row.acknowledgedBy(), row.acknowledgedAt(),
                    unseal(row.id(), row.sealedNote())));
        }
        return new Alert(row.id(), row.rule(), row.raisedAt(), row.actor(), row.patientId(), row.summary(),
                row.auditSequence(), row.node(), acknowledgement);
    }

    private String seal(long id, String note) {
        byte[] sealed = encryption.encrypt(binding(id), note.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(sealed);
    }

    private String unseal(long id, String sealed) {
        if (sealed == null) {
            return "";
        }
        return new String(encryption.decrypt(binding(id), Base64.getDecoder().decode(sealed)),
                StandardCharsets.UTF_8);
    }

    private static FieldBinding binding(long id) {
        return new FieldBinding(AlertRaiser.RESOURCE_TYPE, Long.toString(id), "note");
    }
}
