package org.panacea.engine.command;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.engine.internal.imaging.AlgorithmRuns;

/** {@code imaging:algorithms}: every installed algorithm with its version, vendor and parameters. */
@Command(scope = "imaging", name = "algorithms", description = "Lists the installed imaging algorithms and their "
        + "parameters")
@Service
public class AlgorithmsCommand implements Action {

    @Reference
    AlgorithmRuns runs;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        List<PluginDescriptor> algorithms = runs.catalogue();
        if (algorithms.isEmpty()) {
            console.println("No imaging algorithm is installed (feature:install panacea-imaging installs the samples)");
            return null;
        }
        for (PluginDescriptor algorithm : algorithms) {
            console.println(algorithm.id() + " " + algorithm.version() + "  " + algorithm.name()
                    + (algorithm.vendor().isEmpty() ? "" : " (" + algorithm.vendor() + ")"));
            if (!algorithm.intendedUse().isEmpty()) {
                console.println("    intended use: " + algorithm.intendedUse());
            }
            SpecLines.print(console, algorithm.parameters());
        }
        return null;
    }
}
