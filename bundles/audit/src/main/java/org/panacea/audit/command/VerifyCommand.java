package org.panacea.audit.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditTrail;

/**
 * {@code audit:verify}: checks the whole chain and prints one line, {@code OK <n> ...} or
 * {@code BROKEN at entry <k>: ...}; when the database cannot be read it says so instead, since that proves nothing
 * either way.
 */
@Command(scope = "audit", name = "verify", description = "Verifies the audit trail's hash chain and sealed checkpoints")
@Service
public class VerifyCommand implements Action {

    @Reference
    AuditTrail trail;

    @Reference
    Session session;

    @Override
    public Object execute() {
        String line;
        try {
            line = trail.verify().summary();
        } catch (AuditException e) {
            line = "Cannot verify the audit trail: " + e.getMessage();
        }
        session.getConsole().println(line);
        return null;
    }
}
