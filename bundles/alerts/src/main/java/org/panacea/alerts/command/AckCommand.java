package org.panacea.alerts.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.alerts.Alert;
import org.panacea.api.alerts.Alerts;
import org.panacea.api.alerts.UnknownAlertException;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.CallerAuthentication;

/**
 * {@code alert:ack ID NOTE...}: acknowledges an alert with a note (the words after the id), recorded with who and
 * when, and audited. An unknown id, an alert acknowledged already or a missing note is said in one line and changes
 * nothing.
 */
@Command(scope = "alert", name = "ack", description = "Acknowledges an alert with a note saying why it is settled")
@Service
public class AckCommand implements Action {

    @Reference
    Alerts alerts;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "id", required = true, description = "The alert's id, as alert:list shows it")
    long id;

    @Argument(index = 1, name = "note", required = true, multiValued = true,
            description = "Why it is settled (free text; stored encrypted)")
    List<String> note;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        try {
            Alert alert = alerts.acknowledge(authentication.consoleUser(), id, String.join(" ", note));
            console.println("Acknowledged: " + AlertLine.format(alert));
        } catch (AccessDeniedException denied) {
            console.println("Refused: " + denied.getMessage());
        } catch (UnknownAlertException | IllegalArgumentException | IllegalStateException | AuditException e) {
            console.println(e.getMessage());
        }
        return null;
    }
}
