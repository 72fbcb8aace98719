package org.panacea.alerts.notify;

import java.util.LinkedHashMap;
import java.util.Map;

import org.panacea.api.alerts.Alert;

/**
 * What an alert says outside the platform: rule, time, node, user, summary and, only when the configuration allows,
 * the patient's logical id (never a name: alerts carry none). The summary names the patient's id too, so without
 * the patient it is left out and replaced by the rule's description.
 */
public final class AlertMessage {

    private final boolean includePatient;

    public AlertMessage(boolean includePatient) {
        this.includePatient = includePatient;
    }

    public String subject(Alert alert) {
        return "[Panacea alert " + alert.id() + "] " + alert.rule() + " by " + alert.actor();
    }

    public String text(Alert alert) {
        StringBuilder text = new StringBuilder();
        text.append("Alert ").append(alert.id()).append(": ").append(alert.rule()).append("\r\n");
        text.append("Raised: ").append(alert.raisedAt()).append(" on node ").append(alert.node()).append("\r\n");
        text.append("User: ").append(alert.actor()).append("\r\n");
        if (includePatient && !alert.patientId().isEmpty()) {
            text.append("Patient: Patient/").append(alert.patientId()).append("\r\n");
        }
        text.append("What: ").append(summary(alert)).append("\r\n");
        if (alert.auditSequence() > 0) {
            text.append("Audit entry: ").append(alert.auditSequence()).append("\r\n");
        }
        text.append("\r\nAcknowledge it with alert:ack ").append(alert.id()).append(" NOTE, or on the auditor's alert"
                + " page.\r\n");
        return text.toString();
    }

    public Map<String, Object> json(Alert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id());
        json.put("rule", alert.rule().name());
        json.put("raisedAt", alert.raisedAt().toString());
        json.put("node", alert.node());
        json.put("actor", alert.actor());
        if (includePatient && !alert.patientId().isEmpty()) {
            json.put("patient", "Patient/" + alert.patientId());
        }
        json.put("summary", summary(alert));
        json.put("auditSequence", alert.auditSequence());
        return json;
    }

    private String summary(Alert alert) {
        if (includePatient || alert.patientId().isEmpty()) {
            return alert.summary();
        }
        return alert.summary().replace(alert.patientId(), "(patient withheld)");
    }
}
