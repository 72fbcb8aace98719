package org.panacea.records.command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.CallerAuthentication;

/** {@code patient:list [--family] [--identifier] [--birth-date] [-n] [--offset]}: patients, newest first. */
@Command(scope = "patient", name = "list", description = "Lists patients (newest first), optionally by exact family "
        + "name, identifier or birth date")
@Service
public class ListCommand implements Action {

    @Reference
    PatientRecords records;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--family", description = "Exact family name (case-insensitive)")
    String family;

    @Option(name = "--identifier", description = "An identifier value, or system|value")
    String identifier;

    @Option(name = "--birth-date", description = "Birth date, YYYY-MM-DD")
    String birthDate;

    @Option(name = "-n", aliases = "--limit", description = "How many to show, 1 to 1000")
    int limit = 20;

    @Option(name = "--offset", description = "How many to skip")
    int offset = 0;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (family != null) {
            parameters.put("family", family);
        }
        if (identifier != null) {
            parameters.put("identifier", identifier);
        }
        if (birthDate != null) {
            parameters.put("birthdate", birthDate);
        }
        SearchResult result;
        try {
            result = records.search(authentication.consoleUser(), new SearchQuery("Patient", parameters, limit,
                    offset));
        } catch (IllegalArgumentException e) {
            console.println(e.getMessage());
            return null;
        }
        console.println(PatientLine.HEADER);
        for (StoredResource patient : result.matches()) {
            console.println(PatientLine.format(patient));
        }
        console.println(result.matches().size() + " shown of " + result.total() + " matching");
        return null;
    }
}
