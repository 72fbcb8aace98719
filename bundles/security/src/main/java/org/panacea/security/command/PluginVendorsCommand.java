package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.panacea.security.internal.TrustedVendorFolder.TrustedVendor;

@Service
@Command(scope = "plugin", name = "vendors", description = "Lists the trusted plugin vendors: alias, certificate "
        + "subject, SHA-256 fingerprint, expiry")
public class PluginVendorsCommand extends PluginAdministration {

    @Override
    public Object execute() {
        administrator(TRUSTED_VENDOR);
        ShellTable table = new ShellTable();
        table.column("Alias");
        table.column("Subject");
        table.column("SHA-256");
        table.column("Valid until");
        for (TrustedVendor vendor : trust.vendors().vendors()) {
            table.addRow().addContent(vendor.alias(), vendor.subject(), vendor.fingerprint(), vendor.notAfter());
        }
        table.print(console());
        console().println("Folder: " + trust.vendors().folder().toAbsolutePath());
        return null;
    }
}
