package org.panacea.records.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.panacea.api.records.ResourceType;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.fhir.ValueParameters;
import org.panacea.records.internal.search.RecordSearch;

/**
 * What {@code GET /fhir/metadata} says Panacea's FHIR server can do: generated from the code that does it (the
 * types, the search parameters and how each is compared, the includes, the operations), so it cannot drift.
 */
final class CapabilityStatement {

    /** The parameters FHIR defines as strings (Panacea matches them exactly, as it does tokens). */
    private static final Set<String> STRING_PARAMETERS = Set.of("family", "given", "name", "description",
            "lot-number", "series", "address", "address-city", "address-state", "address-postalcode",
            "address-country");

    private CapabilityStatement() {
    }

    static Map<String, Object> create(String url) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (ResourceType type : ResourceType.values()) {
            String name = type.fhirName();
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("type", name);
            resource.put("versioning", "versioned-update");
            resource.put("readHistory", true);
            resource.put("updateCreate", false);
            resource.put("conditionalCreate", true);
            resource.put("conditionalRead", "not-supported");
            resource.put("conditionalUpdate", false);
            resource.put("conditionalDelete", "not-supported");
            List<Map<String, Object>> interactions = new ArrayList<>();
            for (String code : List.of("read", "vread", "update", "delete", "history-instance", "history-type",
                    "create", "search-type")) {
                interactions.add(Map.of("code", code));
            }
            resource.put("interaction", interactions);
            resource.put("searchInclude", includes(name));
            resource.put("searchRevInclude", revincludes(name));
            resource.put("searchParam", searchParameters(name));
            List<Map<String, Object>> operations = new ArrayList<>();
            if (name.equals("Patient")) {
                operations.add(Map.of("name", "everything", "definition",
                        "http://hl7.org/fhir/OperationDefinition/Patient-everything", "documentation",
                        "the patient and every resource of theirs your role may read; _since and _count"));
                operations.add(Map.of("name", "export", "definition",
                        "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export", "documentation",
                        "Bulk Data export of every patient (Prefer: respond-async); _type, _since"));
            }
            if (name.equals("Group")) {
                operations.add(Map.of("name", "export", "definition",
                        "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export", "documentation",
                        "Bulk Data export of the group's members (Prefer: respond-async); _type, _since"));
            }
            if (!operations.isEmpty()) {
                resource.put("operation", operations);
            }
            resources.add(resource);
        }
        Map<String, Object> binary = new LinkedHashMap<>();
        binary.put("type", "Binary");
        binary.put("documentation", "a document's content (POST with its own Content-Type and X-Security-Context: "
                + "Patient/{id}, or a Binary resource), sealed in chunks; GET answers the bytes, or the resource to "
                + "FHIR JSON clients; a corrected document is a new Binary");
        binary.put("interaction", List.of(Map.of("code", "read"), Map.of("code", "create"),
                Map.of("code", "delete")));
        resources.add(binary);
        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("mode", "server");
        rest.put("documentation", "Resource types not listed are accepted inside transaction and collection "
                + "Bundles and kept as opaque, encrypted FHIR JSON linked to their patient. Searches are answered "
                + "from a blind index: exact values, and dates and quantities through keyed bucket tokens; a search "
                + "Panacea does not understand is refused with 400, never answered with an empty list. Paging "
                + "follows the next links (kept " + RecordSearch.KEPT_FOR.toMinutes() + " minutes, at most "
                + RecordSearch.MAX_KEPT + " matches); _sort by a date sorts at most " + RecordSearch.SORT_CAP
                + " matches.");
        rest.put("security", Map.of("cors", false, "description", "HTTP Basic against the platform's JAAS realm; "
                + "TLS by configuration (etc/org.ops4j.pax.web.cfg). Only this statement is served without "
                + "credentials.", "service", List.of(Map.of("coding",
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

    /** Every search parameter of {@code type}, with its FHIR type and how Panacea compares it. */
    static List<Map<String, Object>> searchParameters(String type) {
        List<Map<String, Object>> parameters = new ArrayList<>();
        parameters.add(parameter("_id", "token", "exact, from the clear id column"));
        parameters.add(parameter("_lastUpdated", "date", "every prefix, from the clear storage-time column"));
        if (SearchParameters.patientLinked(type)) {
            parameters.add(parameter("patient", "reference", "from the clear pseudonymous patient column"));
            parameters.add(parameter("subject", "reference", "from the clear pseudonymous patient column"));
        }
        for (String name : SearchParameters.of(type)) {
            parameters.add(parameter(name, STRING_PARAMETERS.contains(name) ? "string" : "token",
                    "exact match (case-insensitive, through the blind index)"));
        }
        for (ValueParameters.Parameter parameter : ValueParameters.of(type)) {
            parameters.add(switch (parameter.kind()) {
                case DATE -> parameter(parameter.name(), "date", "prefixes eq, ne, lt, le, gt, ge, sa, eb, ap and "
                        + "partial dates, through keyed calendar bucket tokens; a value matches when it lies wholly "
                        + "within the range (UTC)");
                case QUANTITY -> parameter(parameter.name(), "quantity", "prefixes and number|system|code, through "
                        + "keyed decimal bucket tokens; eq uses the precision of the number given");
                case REFERENCE -> parameter(parameter.name(), "reference", "Type/id or id, through the blind index");
            });
        }
        return parameters;
    }

    private static Map<String, Object> parameter(String name, String type, String documentation) {
        Map<String, Object> parameter = new LinkedHashMap<>();
        parameter.put("name", name);
        parameter.put("type", type);
        parameter.put("documentation", documentation);
        return parameter;
    }

    private static List<String> includes(String type) {
        List<String> includes = new ArrayList<>();
        if (SearchParameters.patientLinked(type) && !type.equals("Patient")) {
            includes.add(type + ":patient");
            includes.add(type + ":subject");
        }
        ValueParameters.of(type).stream().filter(p -> p.kind() == ValueParameters.Kind.REFERENCE)
                .forEach(p -> includes.add(type + ":" + p.name()));
        return includes;
    }

    private static List<String> revincludes(String type) {
        List<String> revincludes = new ArrayList<>();
        for (ResourceType source : ResourceType.values()) {
            String name = source.fhirName();
            if (type.equals("Patient") && SearchParameters.patientLinked(name) && !name.equals("Patient")) {
                revincludes.add(name + ":patient");
                revincludes.add(name + ":subject");
            }
            ValueParameters.of(name).stream().filter(p -> p.kind() == ValueParameters.Kind.REFERENCE)
                    .forEach(p -> revincludes.add(name + ":" + p.name()));
        }
        return revincludes;
    }
}
