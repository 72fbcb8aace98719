package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "setting", name = "unset", description = "Removes a shared setting from every node, so each node's "
        + "default applies again. Audited")
public class SettingUnsetCommand extends SettingAdministration {

    @Argument(index = 0, name = "pid", required = true, description = "the configuration, e.g. org.panacea.security")
    String pid;

    @Argument(index = 1, name = "key", required = true, description = "the setting")
    String key;

    @Override
    public Object execute() {
        return change(pid, key, null);
    }
}
