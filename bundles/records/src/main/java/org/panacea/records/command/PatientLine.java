package org.panacea.records.command;

import org.panacea.api.records.StoredResource;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.JsonNode;

/** A patient on one console line: id, name, gender, birth date, first identifier. */
final class PatientLine {

    static final String HEADER = String.format("%-36s  %-28s  %-7s  %-10s  %s", "ID", "NAME", "GENDER", "BORN",
            "IDENTIFIER");

    private PatientLine() {
    }

    static String format(StoredResource patient) {
        JsonNode json = FhirJson.parseObject(patient.json());
        JsonNode name = json.path("name").path(0);
        StringBuilder given = new StringBuilder();
        name.path("given").forEach(part -> given.append(given.length() == 0 ? "" : " ").append(part.asText()));
        String display = name.path("family").asText("") + (given.length() == 0 ? "" : ", " + given);
        if (json.has("deceasedDateTime")) {
            display += " (died " + json.path("deceasedDateTime").asText() + ")";
        }
        return String.format("%-36s  %-28s  %-7s  %-10s  %s", patient.id(), display, json.path("gender").asText("-"),
                json.path("birthDate").asText("-"), json.path("identifier").path(0).path("value").asText("-"));
    }
}
