package org.panacea.analysis.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.analysis.internal.Disclosure;
import org.panacea.analysis.internal.ReportText;
import org.panacea.analysis.internal.SurvivalAnalysis;
import org.panacea.analysis.internal.SurvivalData;
import org.panacea.analysis.internal.SurvivalReport;
import org.panacea.analysis.internal.SurvivalRequest;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.plugins.support.CsvTable;

/** {@code analysis:survival FILE --time T --event E [--event-value V] [--group G] [--covariates A,B] [--ties T]}. */
@Command(scope = "analysis", name = "survival", description = "Kaplan-Meier by group, log-rank test and Cox model of "
        + "a CSV table on the server")
@Service
public class SurvivalCommand implements Action {

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "file", description = "The CSV file (UTF-8, header row, comma-separated)",
            required = true)
    String file;

    @Option(name = "--time", description = "The follow-up time column", required = true)
    String time;

    @Option(name = "--event", description = "The event column (two values)", required = true)
    String event;

    @Option(name = "--event-value", description = "The event column's value meaning the event happened (default 1)")
    String eventValue;

    @Option(name = "--group", description = "The column whose groups get a curve each and the log-rank test")
    String group;

    @Option(name = "--covariates", description = "The Cox model's covariates, comma-separated numeric columns")
    String covariates;

    @Option(name = "--ties", description = "efron (default) or breslow")
    String ties;

    @Override
    public Object execute() throws IOException {
        PrintStream console = session.getConsole();
        Map<String, String> parameters = new HashMap<>();
        parameters.put("time", time);
        parameters.put("event", event);
        put(parameters, "event-value", eventValue);
        put(parameters, "group", group);
        put(parameters, "covariates", covariates);
        put(parameters, "ties", ties);
        try {
            policy.require(authentication.consoleUser(), Operation.READ_AGGREGATE, "*");
            SurvivalRequest request = SurvivalRequest.of(parameters);
            CsvTable table;
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                table = CsvTable.read(in, request.columns());
            }
            SurvivalData data = SurvivalData.fromTable(table, request);
            console.print(ReportText.survival(SurvivalReport.json(SurvivalAnalysis.run(data, request.ties(),
                    Disclosure.FULL, true), false)));
        } catch (IllegalArgumentException | AccessDeniedException e) {
            console.println(e.getMessage());
        }
        return null;
    }

    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
