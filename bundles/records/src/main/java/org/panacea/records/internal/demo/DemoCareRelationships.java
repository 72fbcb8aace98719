package org.panacea.records.internal.demo;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.panacea.api.records.ChartAccess;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.Caller;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Relates the demo users {@code clinician} and {@code nurse} to a minority of the demo patients, so that the demo
 * shows both sides of care-relationship access: each is a Practitioner (identifier {@code urn:panacea:user|<login>}),
 * on the active CareTeam of every fifth patient, and the clinician also takes part in an encounter in progress of
 * every seventh. The rest of the cohort opens only by break-glass.
 */
final class DemoCareRelationships {

    /** The demo users linked to Practitioners. */
    static final List<String> DEMO_USERS = List.of("clinician", "nurse");
    /** Every {@value}th patient has the demo users on an active care team. */
    static final int CARE_TEAM_EVERY = 5;
    /** Every {@value}th patient has an encounter in progress with the demo clinician. */
    static final int ENCOUNTER_EVERY = 7;

    private final List<String> practitioners;

    private DemoCareRelationships(List<String> practitioners) {
        this.practitioners = practitioners;
    }

    /** The demo users' Practitioners, created when the record has none yet. */
    static DemoCareRelationships ensurePractitioners(JpaPatientRecords records, Caller loader) {
        List<String> ids = DEMO_USERS.stream().map(user -> practitioner(records, loader, user)).toList();
        return new DemoCareRelationships(ids);
    }

    private static String practitioner(JpaPatientRecords records, Caller loader, String user) {
        String identifier = ChartAccess.USER_IDENTIFIER_SYSTEM + "|" + user;
        var found = records.search(loader, new SearchQuery("Practitioner", Map.of("identifier", identifier), 1, 0));
        if (found.total() > 0) {
            return found.matches().get(0).id();
        }
        ObjectNode practitioner = resource("Practitioner");
        practitioner.putArray("identifier").addObject().put("system", ChartAccess.USER_IDENTIFIER_SYSTEM)
                .put("value", user);
        practitioner.putArray("name").addObject().put("family", "Demo " + user).putArray("given").add(user);
        return records.create(loader, practitioner).id();
    }

    /** Adds patient {@code number}'s care relationships (if any) to its transaction bundle. */
    void relate(ObjectNode bundle, int number, LocalDateTime now) {
        ArrayNode entries = (ArrayNode) bundle.path("entry");
        String patientUrl = entries.path(0).path("fullUrl").asText();
        if (number % CARE_TEAM_EVERY == 0) {
            ObjectNode team = resource("CareTeam");
            team.put("status", "active").put("name", "Demo ward team");
            team.putObject("subject").put("reference", patientUrl);
            team.putObject("period").put("start", instant(now.minusDays(10)));
            ArrayNode participants = team.putArray("participant");
            practitioners.forEach(id -> participants.addObject().putObject("member").put("reference",
                    "Practitioner/" + id));
            add(entries, team);
        }
        if (number % ENCOUNTER_EVERY == 0) {
            ObjectNode encounter = resource("Encounter");
            encounter.put("status", "in-progress");
            encounter.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode")
                    .put("code", "IMP").put("display", "inpatient encounter");
            encounter.putObject("subject").put("reference", patientUrl);
            encounter.putObject("period").put("start", instant(now.minusDays(2)));
            encounter.putArray("participant").addObject().putObject("individual").put("reference",
                    "Practitioner/" + practitioners.get(0));
            add(entries, encounter);
        }
    }

    private static ObjectNode resource(String type) {
        return FhirJson.MAPPER.createObjectNode().put("resourceType", type);
    }

    private static void add(ArrayNode entries, ObjectNode resource) {
        ObjectNode entry = entries.addObject();
        entry.put("fullUrl", "urn:uuid:" + UUID.randomUUID());
        entry.set("resource", resource);
        entry.putObject("request").put("method", "POST").put("url", resource.path("resourceType").asText());
    }

    private static String instant(LocalDateTime time) {
        return time.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
