package org.panacea.records.command;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.records.internal.fhir.FhirJson;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code patient:add --family F --given G [--gender] [--birth-date] [--mrn] [--mrn-system]}: registers a patient. */
@Command(scope = "patient", name = "add", description = "Registers a new patient and prints its id")
@Service
public class AddCommand implements Action {

    @Reference
    PatientRecords records;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--family", description = "Family name", required = true)
    String family;

    @Option(name = "--given", description = "Given name(s)", required = true)
    String given;

    @Option(name = "--gender", description = "male, female, other or unknown")
    String gender;

    @Option(name = "--birth-date", description = "Birth date, YYYY-MM-DD")
    String birthDate;

    @Option(name = "--mrn", description = "Medical record number")
    String mrn;

    @Option(name = "--mrn-system", description = "The URI of the MRN's issuer")
    String mrnSystem = "https://panacea.example/fhir/sid/mrn";

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        if (birthDate != null) {
            try {
                LocalDate.parse(birthDate);
            } catch (DateTimeParseException e) {
                console.println("--birth-date: '" + birthDate + "' is not a date as YYYY-MM-DD");
                return null;
            }
        }
        ObjectNode patient = FhirJson.MAPPER.createObjectNode().put("resourceType", "Patient");
        if (mrn != null) {
            patient.putArray("identifier").addObject().put("system", mrnSystem).put("value", mrn);
        }
        ObjectNode name = patient.putArray("name").addObject().put("family", family);
        for (String part : given.trim().split("\\s+")) {
            name.withArray("given").add(part);
        }
        if (gender != null) {
            patient.put("gender", gender);
        }
        if (birthDate != null) {
            patient.put("birthDate", birthDate);
        }
        try {
            StoredResource stored = records.create(authentication.consoleUser(), patient.toString());
            console.println("Patient/" + stored.id() + " created");
        } catch (InvalidResourceException e) {
            e.issues().forEach(issue -> console.println(issue.path() + ": " + issue.message()));
        }
        return null;
    }
}
