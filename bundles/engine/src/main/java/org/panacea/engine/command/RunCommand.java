package org.panacea.engine.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.engine.internal.audit.AuditDetails;
import org.panacea.engine.internal.imaging.AlgorithmRequest;
import org.panacea.engine.internal.imaging.AlgorithmRun;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.parameters.RawSource;

/**
 * {@code imaging:run ALGORITHM INSTANCE_UID [name=value ...] [--frame n] [--version range] [--timeout s]}: runs an
 * algorithm on an archived image as the logged-in user, stores its output image and prints what it found.
 */
@Command(scope = "imaging", name = "run", description = "Runs an imaging algorithm on an archived image")
@Service
public class RunCommand implements Action {

    @Reference
    AlgorithmRuns runs;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "algorithm", description = "The algorithm's id (imaging:algorithms lists them)",
            required = true)
    String algorithm;

    @Argument(index = 1, name = "instance", description = "The SOP Instance UID of the image", required = true)
    String instance;

    @Argument(index = 2, name = "parameters", description = "Parameters as name=value (e.g. sigma=2 border=nearest)",
            multiValued = true)
    List<String> parameters;

    @Option(name = "--frame", description = "The frame to run on, from 0")
    int frame;

    @Option(name = "--version", description = "An OSGi version range, quoted: '[1.0,2.0)'; default: the highest "
            + "version")
    String version;

    @Option(name = "--timeout", description = "A time limit below the engine's, in seconds")
    Integer timeoutSeconds;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        String what = "imaging:run " + algorithm;
        try {
            NamedValues named = NamedValues.parse(parameters, Set.of("--frame", "--version", "--timeout"));
            AlgorithmRun run = runs.run(authentication.consoleUser(), new AlgorithmRequest(algorithm,
                    named.text("--version", version), instance, named.integer("--frame", frame), named.values(),
                    RawSource.TEXT, named.integer("--timeout", timeoutSeconds)));
            print(console, run);
        } catch (RuntimeException e) {
            FailureLines.print(console, what, e);
        }
        return null;
    }

    private static void print(PrintStream console, AlgorithmRun run) {
        console.println(run.algorithm().id() + " " + run.algorithm().version() + " on " + run.instanceUid()
                + " frame " + run.frame() + ": " + run.runTime().toMillis() + " ms");
        String parameters = AuditDetails.values(run.parameters().values());
        console.println("  parameters: " + (parameters.isEmpty() ? "none" : parameters));
        ArchivedInstance derived = run.derived();
        console.println(derived == null ? "  no output image"
                : "  output image: " + derived.sopInstanceUid() + " (" + derived.width() + "x" + derived.height()
                        + ", series " + derived.seriesInstanceUid() + ")");
        if (!run.measurements().isEmpty()) {
            console.println("  measurements:");
            run.measurements().forEach(measurement -> console.println("    " + line(measurement)));
        }
        if (!run.findings().isEmpty()) {
            console.println("  findings:");
            for (Finding finding : run.findings()) {
                console.println("    " + finding.label());
                finding.measurements().forEach(measurement -> console.println("      " + line(measurement)));
            }
        }
        console.println("  input sha256:  " + run.inputDigest());
        if (run.outputDigest() != null) {
            console.println("  output sha256: " + run.outputDigest());
        }
    }

    private static String line(Measurement measurement) {
        return measurement.name() + " = " + ParameterValidator.format(measurement.value())
                + (measurement.unit().isEmpty() ? "" : " " + measurement.unit());
    }
}
