package org.panacea.records.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.security.Operation;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.records.internal.demo.DemoData;

/** {@code patient:demo [-n N] [--seed S]}: loads synthetic demo patients, with progress. */
@Command(scope = "patient", name = "demo", description = "Loads synthetic demo patients (encounters, vital signs, "
        + "labs, conditions, medications) into the record")
@Service
public class DemoCommand implements Action {

    @Reference
    JpaPatientRecords records;

    @Reference
    AccessPolicy policy;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Option(name = "-n", aliases = "--patients", description = "How many patients, 1 to 10000")
    int patients = 100;

    @Option(name = "--seed", description = "Random seed; the same seed gives the same patients (and their MRNs, so "
            + "loading one seed twice is refused)")
    long seed = System.currentTimeMillis() % 1000;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        if (patients < 1 || patients > 10_000) {
            console.println("-n: must be between 1 and 10000, was " + patients);
            return null;
        }
        // Demo data is written as the demo loader, but only for someone who may create patients.
        policy.require(authentication.consoleUser(), Operation.CREATE, "Patient");
        try {
            int loaded = DemoData.load(records, DemoData.loader(authentication), patients, seed, done -> {
                if (done % Math.max(1, patients / 20) == 0 || done == patients) {
                    console.println(done + " of " + patients + " patients loaded");
                    console.flush();
                }
            });
            console.println(loaded + " demo patients loaded (seed " + seed + ")");
        } catch (InvalidResourceException e) {
            console.println("stopped: " + e.getMessage() + " (was this seed loaded before? use another --seed)");
        }
        return null;
    }
}
