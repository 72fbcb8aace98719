package org.panacea.records.command;

import java.io.PrintStream;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.records.ChartAccess;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code patient:show ID}: demographics, how many records of each type, active conditions, latest observations.
 * {@code --break-glass "<reason>"} opens a chart outside the user's care relationships (clinicians; audited).
 */
@Command(scope = "patient", name = "show", description = "Shows a patient's chart summary")
@Service
public class ShowCommand implements Action {

    @Reference
    PatientRecords records;

    @Reference
    CallerAuthentication authentication;

    @Reference
    ChartAccess chartAccess;

    @Reference
    Session session;

    @Option(name = "--break-glass", description = "Opens the chart outside your care relationships, in an emergency, "
            + "for this reason (clinicians; the grant lasts the configured time and every access is audited with the "
            + "reason)")
    String breakGlassReason;

    @Argument(index = 0, name = "id", description = "The patient's id (as patient:list shows it)", required = true)
    String id;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        Caller caller = authentication.consoleUser();
        StoredResource patient;
        String patientId = id.startsWith("Patient/") ? id.substring(8) : id;
        try {
            if (breakGlassReason != null) {
                console.println("Break-glass: Patient/" + patientId + " is open to you until "
                        + chartAccess.breakGlass(caller, patientId, breakGlassReason).expires()
                        + "; every access is audited with your reason.");
            }
            patient = records.read(caller, "Patient", patientId);
        } catch (ResourceNotFoundException e) {
            console.println(e.getMessage());
            return null;
        }
        console.println(PatientLine.HEADER);
        console.println(PatientLine.format(patient));
        JsonNode json = FhirJson.parseObject(patient.json());
        json.path("address").forEach(address -> {
            StringBuilder lines = new StringBuilder();
            address.path("line").forEach(line -> lines.append(line.asText()).append(", "));
            console.println("  address: " + lines + address.path("postalCode").asText("") + " "
                    + address.path("city").asText(""));
        });
        console.println();
        for (ResourceType type : ResourceType.values()) {
            // The patient's own records only: the directory and groups are searched by other means.
            if (type == ResourceType.PATIENT || !SearchParameters.patientLinked(type.fhirName())) {
                continue;
            }
            SearchResult result = records.search(caller, new SearchQuery(type.fhirName(),
                    Map.of("patient", patient.id()), type == ResourceType.CONDITION ? 50
                            : type == ResourceType.OBSERVATION ? 10 : 1, 0));
            if (result.total() == 0) {
                continue;
            }
            console.println(String.format("%-18s %d", type.fhirName(), result.total()));
            if (type == ResourceType.CONDITION) {
                result.matches().forEach(condition -> console.println("    " + describe(condition, "onsetDateTime")));
            } else if (type == ResourceType.OBSERVATION) {
                result.matches().forEach(observation -> console.println("    " + describe(observation,
                        "effectiveDateTime")));
            }
        }
        return null;
    }

    private static String describe(StoredResource resource, String timeField) {
        JsonNode json = FhirJson.parseObject(resource.json());
        JsonNode code = json.path("code");
        String text = code.path("text").asText(code.path("coding").path(0).path("display").asText(
                code.path("coding").path(0).path("code").asText("?")));
        JsonNode quantity = json.path("valueQuantity");
        String value = quantity.isMissingNode() ? "" : "  " + quantity.path("value").asText() + " "
                + quantity.path("unit").asText(quantity.path("code").asText(""));
        return json.path(timeField).asText("") + "  " + text + value;
    }
}
