package org.panacea.security.command;

import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FileRefusedException;
import org.panacea.security.internal.TrustedVendorFolder.TrustedVendor;

@Service
@Command(scope = "plugin", name = "trust", description = "Trusts a plugin vendor: copies its certificate (PEM or DER) "
        + "into the trusted vendor folder; plugins it signed may then be installed. Audited")
public class PluginTrustCommand extends PluginAdministration {

    @Argument(index = 0, name = "certificate", required = true,
            description = "the vendor's certificate file, as the vendor handed it over, in the import folder "
                    + "(data/import; compare its SHA-256 fingerprint with the vendor's before trusting it)")
    @Completion(FileCompleter.class)
    String certificate;

    @Option(name = "--alias", description = "the name the vendor is trusted under (letters, digits, '.', '_', '-'); "
            + "default: the file name without its extension")
    String alias;

    @Override
    public Object execute() {
        Caller caller = administrator(TRUSTED_VENDOR);
        String name = alias != null ? alias : defaultAlias(Path.of(certificate));
        TrustedVendor vendor;
        Path file;
        try {
            file = imports.resolve(certificate);
            vendor = trust.vendors().add(file, name);
        } catch (IllegalArgumentException | FileRefusedException refused) {
            audit(caller, name, AuditOutcome.FAILURE, "trust refused: " + refused.getMessage());
            console().println("Not trusted: " + refused.getMessage());
            return null;
        }
        audit(caller, vendor.alias(), AuditOutcome.SUCCESS, "trusted " + vendor.subject() + ", SHA-256 "
                + vendor.fingerprint() + ", valid until " + vendor.notAfter() + ", from " + file.toAbsolutePath());
        List<String> refused = trust.reload();
        console().println("Trusted vendor " + vendor.alias() + ": " + vendor.subject());
        console().println("  SHA-256 " + vendor.fingerprint() + ", valid until " + vendor.notAfter());
        console().println("  Plugins signed with it can now be installed (kar:install, feature:install).");
        if (!refused.isEmpty()) {
            console().println("  Still refused (signed by no trusted vendor): " + String.join(", ", refused));
        }
        share(caller, vendor.alias(), true, vendor.pem());
        return null;
    }

    /** The file name without its extension, made into an alias (anything outside the alias alphabet becomes '-'). */
    static String defaultAlias(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
