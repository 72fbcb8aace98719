package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.Operation;
import org.panacea.api.security.RewrapProgress;

@Service
@Command(scope = "key", name = "rewrap", description = "Re-wraps data keys still under older key versions with the active one, showing progress; safe to interrupt and re-run")
public class KeyRewrapCommand implements Action {

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
        RewrapProgress result = keys.rewrap(caller,
                progress -> System.out.println("re-wrapped " + progress.done() + " of " + progress.total() + " data keys"));
        System.out.println(result.finished() ? "Done: every data key is wrapped by the active key version."
                : "Stopped after " + result.done() + " of " + result.total() + "; run key:rewrap again to finish.");
        return null;
    }
}
