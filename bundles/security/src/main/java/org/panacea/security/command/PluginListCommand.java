package org.panacea.security.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.security.internal.PluginBundles;

@Service
@Command(scope = "plugin", name = "list", description = "Lists every Panacea plugin bundle: the algorithms and models "
        + "it registers (id and version), vendor, signer, bundle version, state and signature status")
public class PluginListCommand extends PluginAdministration {

    @Reference
    BundleContext context;

    @Override
    public Object execute() {
        administrator("Bundle");
        List<Bundle> plugins = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (trust.isPlugin(bundle)) {
                plugins.add(bundle);
            }
        }
        plugins.sort(Comparator.comparing((Bundle b) -> String.valueOf(b.getSymbolicName()))
                .thenComparing(Bundle::getVersion));
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Plugins");
        table.column("Kind");
        table.column("Vendor");
        table.column("Signer");
        table.column("Version");
        table.column("State");
        table.column("Signature");
        for (Bundle bundle : plugins) {
            SignatureVerdict verdict = trust.verdict(bundle);
            table.addRow().addContent(bundle.getBundleId(), services(bundle),
                    kind(bundle),
                    PluginBundles.header(bundle, Constants.BUNDLE_VENDOR), commonName(verdict.signer()), bundle.getVersion(), PluginBundles.state(bundle.getState()),
                    verdict.trusted() ? "trusted" : "REFUSED: " + verdict.reason());
        }
        table.print(console());
        if (plugins.isEmpty()) {
            console().println("No plugin is installed.");
        }
        return null;
    }

    /** The kind the bundle declares; a bundle that registers plugin services without declaring it says so. */
    static String kind(Bundle bundle) {
        String declared = bundle.getHeaders("").get(PluginHeaders.PLUGIN);
        return declared == null ? "(undeclared)" : declared;
    }

    /** The algorithms and models the bundle registers, as {@code id version}; empty unless it is active. */
    static String services(Bundle bundle) {
        List<String> services = new ArrayList<>();
        ServiceReference<?>[] registered = bundle.getState() == Bundle.ACTIVE ? bundle.getRegisteredServices() : null;
        if (registered != null) {
            for (ServiceReference<?> reference : registered) {
                Object id = reference.getProperty(PluginHeaders.SERVICE_PLUGIN_ID);
                if (id != null) {
                    services.add(id + " " + reference.getProperty(PluginHeaders.SERVICE_PLUGIN_VERSION));
                }
            }
        }
        services.sort(null);
        return services.isEmpty() ? "-" : String.join(", ", services);
    }

    /** The CN of a distinguished name, or the whole name when it has none. */
    static String commonName(String distinguishedName) {
        if (distinguishedName == null || distinguishedName.isEmpty()) {
            return "-";
        }
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            // not a distinguished name: show it as it is
        }
        return distinguishedName;
    }
}
