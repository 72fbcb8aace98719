package org.panacea.audit.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.audit.backup.BackupException;
import org.panacea.audit.backup.BackupWriter;
import org.panacea.audit.internal.PlatformBackup;

/**
 * {@code platform:backup [--name NAME]}: one consistent backup of the records, security and audit databases (images
 * included: they are rows of the records database) and of the audit anchors, into the backup folder
 * ({@code data/backup} by default), for administrators. Audited with who, when, the backup's name and the result,
 * never patient data. {@code bin/panacea-restore} restores it onto a stopped node (docs/operations.md, "Backups and
 * restore epochs").
 */
@Command(scope = "platform", name = "backup",
        description = "Writes a backup of the databases and the audit anchors into the backup folder (administrators)")
@Service
public class BackupCommand implements Action {

    static final String RESOURCE_TYPE = "Backup";

    @Reference
    PlatformBackup backup;

    @Reference
    AccessPolicy policy;

    @Reference
    AuditTrail trail;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "--name", description = "The backup's folder name (letters, digits, '.', '_', '-'); by default"
            + " the time in UTC, yyyyMMdd-HHmmss")
    String name;

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
        String label = name == null ? "" : name.length() > 64 ? name.substring(0, 64) : name;
        try {
            BackupWriter.Result result = backup.backup(name, line -> {
                console.println(line);
                console.flush();
            });
            audit(caller, result.name(), AuditOutcome.SUCCESS, "backup " + result.name() + ": " + result.files()
                    + " files, " + result.bytes() + " bytes, audit head " + result.auditHead() + ", "
                    + result.took().toMillis() + " ms");
        } catch (IllegalArgumentException | IllegalStateException e) {
            console.println("Refused: " + e.getMessage());
            audit(caller, label, AuditOutcome.ERROR, "backup refused: " + e.getMessage());
        } catch (BackupException e) {
            console.println("The backup failed: " + e.getMessage());
            audit(caller, label, AuditOutcome.ERROR, "backup failed: " + e.getMessage());
        }
        return null;
    }

    private void audit(Caller caller, String backupName, AuditOutcome outcome, String details) {
        try {
            trail.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.EXPORT, RESOURCE_TYPE,
                    backupName, "", outcome, caller.clientAddress(), details));
        } catch (AuditException | IllegalArgumentException e) {
            session.getConsole().println("Warning: the backup could not be recorded in the audit trail: "
                    + e.getMessage());
        }
    }
}
