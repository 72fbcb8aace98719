package org.panacea.security.command;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.security.internal.SharedSettings;

/** What the {@code setting:} commands need besides an administrator at the console: the shared settings. */
abstract class SettingAdministration extends Administration {

    /** Absent while the security database or the key ring is not up: then nothing can be shared. */
    @Reference(optional = true)
    SharedSettings settings;

    /**
     * Shares {@code value} ({@code null} to remove) of {@code pid}/{@code key} for every node; refusals and failures
     * are audited and answered on the console.
     */
    Object change(String pid, String key, String value) {
        Caller caller = administrator(SharedSettings.SHARED_SETTING);
        String setting = pid + "/" + key;
        if (settings == null) {
            console().println("Nothing changed: the security database is not available to share " + setting
                    + " with the other nodes.");
            return null;
        }
        try {
            settings.share(caller, pid, key, value);
        } catch (IllegalArgumentException refused) {
            console().println("Nothing changed: " + refused.getMessage());
            audit(caller, setting, AuditOutcome.FAILURE, "refused: " + refused.getMessage());
            return null;
        } catch (java.sql.SQLException | RuntimeException e) {
            console().println("Nothing changed: " + setting + " could not be recorded for the nodes (" + e.getMessage()
                    + "). Repeat it when the security database is available.");
            audit(caller, setting, AuditOutcome.FAILURE, "not recorded: " + e.getMessage());
            return null;
        }
        console().println(setting + (value == null ? " removed" : " = " + value) + " for every node of the "
                + "installation (applied within a few seconds, without a restart).");
        return null;
    }

    private void audit(Caller caller, String setting, AuditOutcome outcome, String details) {
        audit.record(new AuditEvent(caller.name(), caller.primaryRole(), AuditAction.CONFIGURATION_CHANGED,
                SharedSettings.SHARED_SETTING, setting, "", outcome, caller.clientAddress(), details));
    }
}
