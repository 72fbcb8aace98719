package org.panacea.security.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;

/**
 * What every administrative console command of this bundle needs: the console user, the access policy that decides
 * (and audits) whether they may administer the resource type at hand, the console to answer on, and the audit trail.
 * Karaf's command ACLs ({@code etc/org.apache.karaf.command.acl.*.cfg}) refuse other roles before a command runs; the
 * policy check here holds even where an ACL file was edited away.
 */
abstract class Administration implements Action {

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    AuditTrail audit;

    @Reference
    Session session;

    /** The console user, once the policy has allowed them to administer {@code resourceType} (denials are audited). */
    Caller administrator(String resourceType) {
        Caller caller = authentication.consoleUser();
        policy.require(caller, Operation.ADMINISTER, resourceType);
        return caller;
    }

    PrintStream console() {
        return session.getConsole();
    }
}
