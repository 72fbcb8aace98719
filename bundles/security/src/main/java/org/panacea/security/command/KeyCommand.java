package org.panacea.security.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.Operation;

/** What every {@code key:} command needs: the keys, the console, and an administrator at it. */
abstract class KeyCommand implements Action {

    @Reference
    KeyManagement keys;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    /** The console user, once the policy has allowed them to administer keys (a denial is audited and thrown). */
    Caller administrator() {
        Caller caller = authentication.consoleUser();
        policy.require(caller, Operation.ADMINISTER, "Key");
        return caller;
    }

    PrintStream console() {
        return session.getConsole();
    }
}
