package org.panacea.security.command;

import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.panacea.security.internal.SharedSettings;

@Service
@Command(scope = "setting", name = "list", description = "Lists the settings shared between nodes: those set for the "
        + "installation with their values, and those that may be")
public class SettingListCommand extends SettingAdministration {

    @Override
    public Object execute() throws Exception {
        administrator(SharedSettings.SHARED_SETTING);
        Map<String, String> current = settings == null ? Map.of() : settings.current();
        ShellTable table = new ShellTable();
        table.column("Setting");
        table.column("Shared value");
        for (Map.Entry<String, java.util.Set<String>> pid : new TreeMap<>(SharedSettings.SHARED).entrySet()) {
            for (String key : new java.util.TreeSet<>(pid.getValue())) {
                String setting = pid.getKey() + "/" + key;
                table.addRow().addContent(setting, current.getOrDefault(setting, "(this node's own)"));
            }
        }
        table.print(console());
        if (settings == null) {
            console().println("The security database is not available: the shared values cannot be read now.");
        }
        return null;
    }
}
