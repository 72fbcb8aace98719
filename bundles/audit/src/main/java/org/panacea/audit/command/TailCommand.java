package org.panacea.audit.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/** {@code audit:tail [-n N]}: the newest N entries, one per line, oldest first like {@code tail}. */
@Command(scope = "audit", name = "tail", description = "Shows the newest audit entries, the newest last")
@Service
public class TailCommand implements Action {

    @Reference
    AuditTrail trail;

    @Reference
    Session session;

    @Option(name = "-n", aliases = "--lines", description = "How many entries to show (at least 1)")
    int count = 20;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        if (count < 1) {
            console.println("-n: must be at least 1, was " + count);
            return null;
        }
        List<AuditEntry> newestFirst = trail.search(AuditQuery.latest(count));
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            console.println(EntryLine.format(newestFirst.get(i)));
        }
        return null;
    }
}
