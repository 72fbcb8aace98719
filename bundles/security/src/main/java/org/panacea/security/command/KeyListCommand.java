package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.panacea.api.security.KeyVersion;

@Service
@Command(scope = "key", name = "list", description = "Lists the key-encryption key versions and how many data keys each still protects")
public class KeyListCommand extends KeyCommand {

    @Override
    public Object execute() {
        administrator();
        ShellTable table = new ShellTable();
        table.column("Version").alignRight();
        table.column("Created");
        table.column("Active");
        table.column("Data keys").alignRight();
        for (KeyVersion version : keys.keyVersions()) {
            table.addRow().addContent(version.version(), version.created(), version.active() ? "yes" : "",
                    version.dataKeysWrapped());
        }
        table.print(console());
        return null;
    }
}
