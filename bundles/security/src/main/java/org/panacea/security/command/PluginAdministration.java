package org.panacea.security.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;
import org.panacea.security.internal.PluginTrust;

/**
 * What the {@code plugin:} commands that manage trust need: the gate's trust, the console, an administrator at it,
 * and the audit trail for every change of trust.
 */
abstract class PluginAdministration implements Action {

    /** The resource type under which trust changes are decided and audited. */
    static final String TRUSTED_VENDOR = "TrustedVendor";

    @Reference
    PluginTrust trust;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    AuditTrail audit;

    @Reference
    ImportFolder imports;

    @Reference
    Session session;

    /** The console user, once the policy has allowed them to administer {@code resourceType} (denials are audited). */
    Caller administrator(String resourceType) {
        Caller caller = authentication.consoleUser();
        policy.require(caller, Operation.ADMINISTER, resourceType);
        return caller;
    }

    /** Records a change (or a refused change) of the trusted vendors; durable before the command reports it. */
    void audit(Caller caller, String alias, AuditOutcome outcome, String details) {
        audit.record(new AuditEvent(caller.name(), caller.primaryRole(),
                AuditAction.CONFIGURATION_CHANGED, TRUSTED_VENDOR, alias, "", outcome, caller.clientAddress(),
                details));
    }

    PrintStream console() {
        return session.getConsole();
    }
}
