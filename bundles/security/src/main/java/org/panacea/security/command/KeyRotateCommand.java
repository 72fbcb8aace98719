package org.panacea.security.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.panacea.api.security.KeyVersion;

@Service
@Command(scope = "key", name = "rotate", description = "Makes a new key version active; data written before stays readable")
public class KeyRotateCommand extends KeyCommand {

    @Override
    public Object execute() {
        KeyVersion version = keys.rotate(administrator());
        console().println("Key version " + version.version()
                + " is active. Run key:rewrap to move older data keys under it.");
        return null;
    }
}
