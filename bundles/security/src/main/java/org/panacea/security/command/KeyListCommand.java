package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.Operation;

@Service
@Command(scope = "key", name = "list", description = "Lists the key-encryption key versions and how many data keys each still protects")
public class KeyListCommand implements Action {

    @Reference
    KeyManagement keys;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Override
    public Object execute() {
        policy.require(ShellCaller.of(authentication), Operation.ADMINISTER, "Key");
        ShellTable table = new ShellTable();
        table.column("Version").alignRight();
        table.column("Created");
        table.column("Active");
        table.column("Data keys").alignRight();
        for (KeyVersion version : keys.keyVersions()) {
            table.addRow().addContent(version.version(), version.created(), version.active() ? "yes" : "",
                    version.dataKeysWrapped());
        }
        table.print(System.out);
        return null;
    }
}
