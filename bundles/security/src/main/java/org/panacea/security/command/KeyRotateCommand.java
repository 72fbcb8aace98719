package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.Operation;

@Service
@Command(scope = "key", name = "rotate", description = "Makes a new key version active; data written before stays readable")
public class KeyRotateCommand implements Action {

    @Reference
    KeyManagement keys;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Override
    public Object execute() {
        Caller caller = ShellCaller.of(authentication);
        policy.require(caller, Operation.ADMINISTER, "Key");
        KeyVersion version = keys.rotate(caller);
        System.out.println("Key version " + version.version() + " is active. Run key:rewrap to move older data keys under it.");
        return null;
    }
}
