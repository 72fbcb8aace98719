package org.panacea.audit.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.audit.internal.RestoreEpochs;
import org.panacea.audit.internal.RestoreEpochs.RestoreEpoch;

/**
 * {@code audit:restore-epoch --reason "..."}: records that the audit database was restored from a backup on purpose,
 * for administrators. The trail then reports the anchors it no longer matches as superseded instead of broken. The
 * epoch is itself an entry of the chain, with who and why, and anchored like every checkpoint. It is refused when
 * there is nothing to settle, and when the chain or an anchor file is broken in itself: a restore explains an older
 * database, not an edited one.
 */
@Command(scope = "audit", name = "restore-epoch",
        description = "Records that the audit database was restored from a backup on purpose (administrators)")
@Service
public class RestoreEpochCommand implements Action {

    static final String RESOURCE_TYPE = "AuditTrail";

    @Reference
    RestoreEpochs epochs;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--reason", required = true,
            description = "Why the database was restored: which backup, what happened (one line)")
    String reason;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        Caller caller = authentication.consoleUser();
        try {
            // Denials are audited by the policy.
            policy.require(caller, Operation.ADMINISTER, RESOURCE_TYPE);
        } catch (AccessDeniedException denied) {
            console.println("Refused: " + denied.getMessage());
            return null;
        }
        RestoreEpoch epoch;
        try {
            epoch = epochs.recordRestoreEpoch(caller, reason);
        } catch (IllegalArgumentException | IllegalStateException e) {
            console.println(e.getMessage());
            return null;
        } catch (AuditException e) {
            console.println("Cannot record the restore epoch: " + e.getMessage());
            return null;
        }
        console.println("Restore epoch recorded as entry " + epoch.entry().sequence() + " by " + caller.name() + ": "
                + epoch.superseded() + (epoch.superseded() == 1 ? " older anchor" : " older anchors")
                + " no longer matching the restored chain are superseded.");
        if (!epoch.anchored()) {
            console.println("Warning: the epoch's own anchor line could not be written (see the log).");
        }
        console.println(epoch.verification().summary());
        return null;
    }
}
