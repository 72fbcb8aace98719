package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "setting", name = "set", description = "Sets a setting that every node must have alike (setting:list "
        + "shows which) on every node of the installation, without a restart. Audited")
public class SettingSetCommand extends SettingAdministration {

    @Argument(index = 0, name = "pid", required = true, description = "the configuration, e.g. org.panacea.security")
    String pid;

    @Argument(index = 1, name = "key", required = true, description = "the setting, e.g. login.throttle.user.failures")
    String key;

    @Argument(index = 2, name = "value", required = true, description = "its value for every node")
    String value;

    @Override
    public Object execute() {
        return change(pid, key, value);
    }
}
