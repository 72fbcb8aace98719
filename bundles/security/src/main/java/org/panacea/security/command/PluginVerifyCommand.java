package org.panacea.security.command;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.SignatureVerdict;

@Service
@Command(scope = "plugin", name = "verify", description = "Checks a plugin JAR's signature against the trusted vendor certificates")
public class PluginVerifyCommand implements Action {

    @Argument(index = 0, name = "jar-or-bundle", required = true,
            description = "path of a JAR file, or the id of an installed bundle")
    String target;

    @Reference
    PluginSignatureVerifier verifier;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    BundleContext context;

    @Reference
    Session session;

    @Override
    public Object execute() throws Exception {
        policy.require(authentication.consoleUser(), Operation.ADMINISTER, "Bundle");
        Path jar = Path.of(target);
        Path temp = null;
        if (!Files.exists(jar) && target.matches("\\d+")) {
            Bundle bundle = context.getBundle(Long.parseLong(target));
            if (bundle == null) {
                session.getConsole().println("No bundle with id " + target + " and no file of that name");
                return null;
            }
            temp = Files.createTempFile("panacea-verify-", ".jar");
            try (var in = new java.net.URL(bundle.getLocation()).openStream()) {
                Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            jar = temp;
        } else if (!Files.isRegularFile(jar)) {
            session.getConsole().println("No file " + target + " (give a JAR path or a bundle id)");
            return null;
        }
        try {
            SignatureVerdict verdict = verifier.verify(jar);
            session.getConsole().println((verdict.trusted() ? "TRUSTED " : "REFUSED ") + verdict.reason());
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
        return null;
    }
}
