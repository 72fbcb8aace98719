package org.panacea.alerts.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.Alerts;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.CallerAuthentication;

/**
 * {@code alert:list [--all] [-n N]}: the open alerts of every node (with {@code --all} the acknowledged ones too),
 * newest first, one per line: {@code ID TIME RULE USER [Patient/ID] SUMMARY [acknowledged by WHO at WHEN: NOTE]}.
 */
@Command(scope = "alert", name = "list", description = "Lists alerts, newest first (open ones unless --all)")
@Service
public class ListCommand implements Action {

    @Reference
    Alerts alerts;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--all", description = "Include acknowledged alerts")
    boolean all;

    @Option(name = "-n", aliases = "--limit", description = "Most alerts to show (at least 1)")
    int limit = 50;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        if (limit < 1) {
            console.println("-n: must be at least 1, was " + limit);
            return null;
        }
        List<Alert> found;
        try {
            found = alerts.list(authentication.consoleUser(), !all, limit);
        } catch (AccessDeniedException denied) {
            console.println("Refused: " + denied.getMessage());
            return null;
        }
        if (found.isEmpty()) {
            console.println(all ? "No alerts." : "No open alerts.");
        }
        for (Alert alert : found) {
            console.println(AlertLine.format(alert));
        }
        return null;
    }
}
