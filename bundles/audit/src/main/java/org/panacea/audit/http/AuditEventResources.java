package org.panacea.audit.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;

/** Renders audit entries as FHIR R4 {@code AuditEvent} resources (DICOM audit message codes where they fit). */
final class AuditEventResources {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String REST = "http://terminology.hl7.org/CodeSystem/audit-event-type";

    private AuditEventResources() {
    }

    static Map<String, Object> toFhir(AuditEntry entry) {
        AuditEvent event = entry.event();
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("resourceType", "AuditEvent");
        resource.put("id", Long.toString(entry.sequence()));
        resource.put("type", type(event.action()));
        resource.put("subtype", List.of(Map.of("system", "urn:panacea:audit-action", "code", event.action().name())));
        resource.put("action", actionCode(event.action()));
        resource.put("recorded", entry.time().toString());
        resource.put("outcome", event.outcome().fhirCode());
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("who", Map.of("display", event.actor()));
        if (!event.role().isEmpty()) {
            agent.put("role", List.of(Map.of("text", event.role())));
        }
        agent.put("requestor", true);
        agent.put("network", Map.of("address", event.clientAddress()));
        resource.put("agent", List.of(agent));
        resource.put("source", Map.of("observer", Map.of("display", "Panacea")));
        List<Map<String, Object>> entities = new ArrayList<>();
        if (!event.patientId().isEmpty()) {
            entities.add(Map.of("what", Map.of("reference", "Patient/" + event.patientId()),
                    "type", Map.of("system", "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code", "1")));
        }
        if (!event.resourceType().isEmpty()) {
            String what = event.resourceId().isEmpty() ? event.resourceType()
                    : event.resourceType() + "/" + event.resourceId();
            entities.add(Map.of("what", Map.of("display", what)));
        }
        // The chain link, so an auditor can check an exported entry against the trail.
        entities.add(Map.of("description", "panacea audit chain", "detail", List.of(
                Map.of("type", "detailsDigest", "valueString", entry.detailsDigest()),
                Map.of("type", "hash", "valueString", entry.hash()),
                Map.of("type", "previousHash", "valueString", entry.previousHash()))));
        resource.put("entity", entities);
        return resource;
    }

    private static Map<String, Object> type(AuditAction action) {
        return switch (action) {
            case LOGIN -> Map.of("system", DCM, "code", "110114", "display", "User Authentication");
            // A restore epoch and lost events are about the trail's own integrity: alerts, not activity.
            case ACCESS_DENIED, PLUGIN_REFUSED, LOGIN_THROTTLED, RESTORE_EPOCH, AUDIT_GAP -> Map.of("system", DCM,
                    "code", "110113", "display", "Security Alert");
            case PLUGIN_INSTALLED, PLUGIN_UPDATED, PLUGIN_REMOVED, KEY_ROTATED, KEY_REWRAPPED,
                    CONFIGURATION_CHANGED -> Map.of("system", DCM, "code", "110100", "display", "Application Activity");
            case EXPORT -> Map.of("system", DCM, "code", "110106", "display", "Export");
            // An alert rule matched, or an auditor settled an alert: the DICOM security alert event.
            case ALERT_RAISED, ALERT_ACKNOWLEDGED -> Map.of("system", DCM, "code", "110113", "display",
                    "Security Alert");
            default -> Map.of("system", REST, "code", "rest", "display", "RESTful Operation");
        };
    }

    private static String actionCode(AuditAction action) {
        return switch (action) {
            case CREATE -> "C";
            case READ -> "R";
            case UPDATE -> "U";
            case DELETE -> "D";
            default -> "E";
        };
    }
}
