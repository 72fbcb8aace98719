package org.panacea.analysis.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
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
import org.panacea.analysis.internal.Table;
import org.panacea.analysis.internal.TableLimits;
import org.panacea.analysis.internal.TableTooLargeException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;

/**
 * {@code analysis:survival FILE --time T --event E [--event-value V] [--group G] [--covariates A,B] [--ties T]}: FILE
 * is a CSV table in the import folder ({@link ImportFolder}), opened only once the user may read aggregate data and the
 * request is well formed. Nothing of the file is printed but the analysis: errors name the line and column.
 */
@Command(scope = "analysis", name = "survival", description = "Kaplan-Meier by group, log-rank test and Cox model of "
        + "a CSV table in the server's import folder")
@Service
public class SurvivalCommand implements Action {

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    ImportFolder importFolder;

    @Reference
    TableLimits limits;

    @Reference
    Session session;

    @Argument(index = 0, name = "file", description = "The CSV file (UTF-8, header row, comma-separated), a path in "
            + "the import folder (data/import)", required = true)
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
    public Object execute() {
        PrintStream console = session.getConsole();
        Map<String, String> parameters = new HashMap<>();
        parameters.put("time", time);
        parameters.put("event", event);
        put(parameters, "event-value", eventValue);
        put(parameters, "group", group);
        put(parameters, "covariates", covariates);
        put(parameters, "ties", ties);
        try {
            // The user's access first, then the request, and only then the file.
            policy.require(authentication.consoleUser(), Operation.READ_AGGREGATE, "*");
            SurvivalRequest request = SurvivalRequest.of(parameters);
            Table table;
            try (InputStream in = importFolder.open(file)) {
                table = Table.read(in, request.columns(), limits);
            }
            SurvivalData data = SurvivalData.fromTable(table, request);
            // The user's own table: every number is theirs to see.
            console.print(ReportText.survival(SurvivalReport.json(SurvivalAnalysis.run(data, request.ties(),
                    Disclosure.FULL, true), false)));
        } catch (IllegalArgumentException | AccessDeniedException | FileRefusedException
                | TableTooLargeException e) {
            console.println(e.getMessage());
        } catch (IOException e) {
            // The reason the system gives (no such file, permission), never anything read from the file.
            console.println("'" + file + "' could not be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return null;
    }

    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null) {
            parameters.put(name, value);
        }
    }
}
