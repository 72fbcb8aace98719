package org.panacea.records.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panacea.api.records.ResourceType;
import org.panacea.records.internal.fhir.SearchParameters;

/** What {@code GET /fhir/metadata} says Panacea's FHIR server can do: generated from the code that does it. */
final class CapabilityStatement {

    private CapabilityStatement() {
    }

    static Map<String, Object> create(String url) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (ResourceType type : ResourceType.values()) {
            List<Map<String, Object>> searchParams = new ArrayList<>();
            searchParams.add(Map.of("name", "_id", "type", "token"));
            if (SearchParameters.patientLinked(type.fhirName())) {
                searchParams.add(Map.of("name", "patient", "type", "reference"));
                searchParams.add(Map.of("name", "subject", "type", "reference"));
            }
            for (String name : SearchParameters.of(type.fhirName())) {
                searchParams.add(Map.of("name", name, "type", name.equals("birthdate") ? "date"
                        : Set.of("family", "given", "name").contains(name) ? "string" : "token",
                        "documentation", "exact match (case-insensitive, through the blind index)"));
            }
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("type", type.fhirName());
            resource.put("versioning", "versioned-update");
            resource.put("updateCreate", false);
            resource.put("conditionalCreate", true);
            resource.put("conditionalUpdate", false);
            resource.put("conditionalDelete", "not-supported");
            resource.put("interaction", List.of(Map.of("code", "read"), Map.of("code", "create"),
                    Map.of("code", "update"), Map.of("code", "delete"), Map.of("code", "search-type")));
            resource.put("searchParam", searchParams);
            resources.add(resource);
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("mode", "server");
        rest.put("documentation", "Resource types not listed are accepted inside transaction and collection "
                + "Bundles and kept as opaque, encrypted FHIR JSON linked to their patient.");
        rest.put("security", Map.of("cors", false, "description", "HTTP Basic against the platform's JAAS realm; "
                + "TLS by configuration (etc/org.ops4j.pax.web.cfg)", "service", List.of(Map.of("coding",
                List.of(Map.of("system", "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code", "Basic"))))));
        rest.put("resource", resources);
        rest.put("interaction", List.of(Map.of("code", "transaction")));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("resourceType", "CapabilityStatement");
        statement.put("status", "active");
        statement.put("date", java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        statement.put("kind", "instance");
        statement.put("software", Map.of("name", "Panacea"));
        statement.put("implementation", Map.of("description", "Panacea electronic medical record", "url", url));
        statement.put("fhirVersion", "4.0.1");
        statement.put("format", List.of("application/fhir+json", "json"));
        statement.put("rest", List.of(rest));
        return statement;
    }
}
