package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.panacea.api.security.RewrapProgress;

@Service
@Command(scope = "key", name = "rewrap", description = "Re-wraps data keys still under older key versions with the active one, showing progress; the platform keeps serving meanwhile, and it is safe to interrupt and re-run")
public class KeyRewrapCommand extends KeyCommand {

    @Override
    public Object execute() {
        RewrapProgress result = keys.rewrap(administrator(), progress -> console()
                .println("re-wrapped " + progress.done() + " of " + progress.total() + " data keys"));
        console().println(result.finished() ? "Done: every data key is wrapped by the active key version."
                : "Stopped after " + result.done() + " of " + result.total() + "; run key:rewrap again to finish.");
        return null;
    }
}
