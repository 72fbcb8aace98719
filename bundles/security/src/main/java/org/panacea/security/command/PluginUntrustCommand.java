package org.panacea.security.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.security.internal.TrustedVendorFolder.TrustedVendor;

@Service
@Command(scope = "plugin", name = "untrust", description = "Stops trusting a plugin vendor: removes its certificate; "
        + "the plugins it signed are refused and uninstalled at once. Audited")
public class PluginUntrustCommand extends PluginAdministration {

    @Argument(index = 0, name = "alias", required = true, description = "the alias the vendor is trusted under "
            + "(plugin:vendors lists them)")
    String alias;

    @Override
    public Object execute() {
        Caller caller = administrator(TRUSTED_VENDOR);
        TrustedVendor vendor;
        try {
            vendor = trust.vendors().remove(alias);
        } catch (IllegalArgumentException unknown) {
            console().println("Nothing removed: " + unknown.getMessage());
            return null;
        }
        audit(caller, vendor.alias(), AuditOutcome.SUCCESS, "no longer trusted: " + vendor.subject() + ", SHA-256 "
                + vendor.fingerprint());
        List<String> refused = trust.reload();
        console().println("Vendor " + vendor.alias() + " (" + vendor.subject() + ") is no longer trusted.");
        if (refused.isEmpty()) {
            console().println("  No installed plugin was signed by it alone.");
        } else {
            console().println("  Refused and uninstalled: " + String.join(", ", refused));
            console().println("  Remove what installed them as well (kar:uninstall, feature:uninstall), so that "
                    + "they are not installed again.");
        }
        share(caller, vendor.alias(), false, "");
        return null;
    }
}
