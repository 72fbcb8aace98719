package org.panacea.security.command;

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
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.panacea.api.security.Operation;
import org.panacea.api.security.PluginSignatureVerifier;
import org.panacea.api.security.SignatureVerdict;
import org.panacea.security.internal.PluginTrust;

@Service
@Command(scope = "plugin", name = "verify", description = "Checks a plugin JAR's signature against the trusted vendor certificates")
public class PluginVerifyCommand implements Action {

    @Argument(index = 0, name = "jar-or-bundle", required = true,
            description = "a JAR file in the import folder (data/import), or the id of an installed bundle")
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

    @Reference
    PluginTrust trust;

    @Reference
    ImportFolder imports;

    @Override
    public Object execute() throws Exception {
        policy.require(authentication.consoleUser(), Operation.ADMINISTER, "Bundle");
        SignatureVerdict verdict;
        Bundle bundle = target.matches("\\d+") ? context.getBundle(Long.parseLong(target)) : null;
        if (bundle != null) {
            // the installed revision's own bytes, as the gate judges them: not whatever its location names now
            verdict = trust.verdict(bundle);
        } else {
            Path jar;
            try {
                jar = imports.resolve(target);
            } catch (FileRefusedException refused) {
                session.getConsole().println(refused.getMessage() + " (give a JAR in the import folder or a bundle id)");
                return null;
            }
            verdict = verifier.verify(jar);
        }
        session.getConsole().println((verdict.trusted() ? "TRUSTED " : "REFUSED ") + verdict.reason());
        return null;
    }
}
