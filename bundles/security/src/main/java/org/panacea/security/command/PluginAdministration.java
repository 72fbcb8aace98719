package org.panacea.security.command;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.ImportFolder;
import org.panacea.security.internal.PluginTrust;
import org.panacea.security.internal.SharedPluginTrust;

/**
 * What the {@code plugin:} commands that manage trust need besides an administrator at the console
 * ({@link Administration}): the gate's trust, the import folder, and the log that shares trust between nodes.
 */
abstract class PluginAdministration extends Administration {

    /** The resource type under which trust changes are decided and audited. */
    static final String TRUSTED_VENDOR = SharedPluginTrust.TRUSTED_VENDOR;

    @Reference
    PluginTrust trust;

    @Reference
    ImportFolder imports;

    /** Absent while the security database or the key ring is not up: a change then holds on this node only. */
    @Reference(optional = true)
    SharedPluginTrust shared;

    /** Records a change (or a refused change) of the trusted vendors; durable before the command reports it. */
    void audit(Caller caller, String alias, AuditOutcome outcome, String details) {
        audit.record(new AuditEvent(caller.name(), caller.primaryRole(),
                AuditAction.CONFIGURATION_CHANGED, TRUSTED_VENDOR, alias, "", outcome, caller.clientAddress(),
                details));
    }

    /**
     * Records the change this node has just made for every other node, and says where it holds: everywhere, or (the
     * database being unavailable) on this node only, which is audited as well.
     */
    void share(Caller caller, String alias, boolean trusted, String pem) {
        if (shared == null) {
            console().println("  This change holds on this node only: the security database is not available to "
                    + "record it for the other nodes. Repeat it when it is.");
            return;
        }
        try {
            shared.published(caller, alias, trusted, pem);
            console().println("  Recorded for every node of the installation (applied within "
                    + "a few seconds, without a restart).");
        } catch (java.sql.SQLException | RuntimeException e) {
            console().println("  This change holds on this node only: it could not be recorded for the other nodes ("
                    + e.getMessage() + "). Repeat it when the security database is available.");
            audit(caller, alias, AuditOutcome.FAILURE, "not recorded for the other nodes: " + e.getMessage());
        }
    }
}
