package org.panacea.engine.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.prediction.InputValue;
import org.panacea.engine.internal.prediction.ModelRequest;
import org.panacea.engine.internal.prediction.ModelRun;
import org.panacea.engine.internal.prediction.ModelRuns;

/**
 * {@code model:predict MODEL PATIENT_ID [name=value ...] [--version range] [--timeout s]}: asks a model about a
 * patient as the logged-in user, inputs from the record unless given, and prints the prediction, its explanation,
 * the inputs with their sources and the stored RiskAssessment.
 */
@Command(scope = "model", name = "predict", description = "Asks a prediction model about a patient")
@Service
public class PredictCommand implements Action {

    @Reference
    ModelRuns runs;

    @Reference
    CallerAuthentication authentication;

    @Reference
    Session session;

    @Argument(index = 0, name = "model", description = "The model's id (model:list lists them)", required = true)
    String model;

    @Argument(index = 1, name = "patient", description = "The patient's id (as patient:list shows it)",
            required = true)
    String patient;

    @Argument(index = 2, name = "inputs", description = "Inputs as name=value; they win over the record's",
            multiValued = true)
    List<String> inputs;

    @Option(name = "--version", description = "An OSGi version range, quoted: '[1.0,2.0)'; default: the highest "
            + "version")
    String version;

    @Option(name = "--timeout", description = "A time limit below the engine's, in seconds")
    Integer timeoutSeconds;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        try {
            NamedValues named = NamedValues.parse(inputs, Set.of("--version", "--timeout"));
            ModelRun run = runs.run(authentication.consoleUser(), new ModelRequest(model,
                    named.text("--version", version), patient, named.values(), RawSource.TEXT,
                    named.integer("--timeout", timeoutSeconds)));
            print(console, run);
        } catch (RuntimeException e) {
            FailureLines.print(console, "model:predict " + model, e);
        }
        return null;
    }

    private static void print(PrintStream console, ModelRun run) {
        Prediction prediction = run.prediction();
        String value = Double.isFinite(prediction.value()) ? ParameterValidator.format(prediction.value())
                + (prediction.unit().isEmpty() ? "" : " " + prediction.unit()) : "not reached";
        console.println(run.model().plugin().id() + " " + run.model().plugin().version() + " for Patient/"
                + run.patientId() + ": " + prediction.outcome() + " " + value + " (" + run.runTime().toMillis()
                + " ms)");
        if (!prediction.interpretation().isEmpty()) {
            console.println("  " + prediction.interpretation());
        }
        if (!prediction.contributions().isEmpty()) {
            console.println("  explanation:");
            for (Contribution contribution : prediction.contributions()) {
                console.println(String.format(Locale.ROOT, "    %-14s %+10.4g  %s", contribution.input(),
                        contribution.contribution(), contribution.explanation()));
            }
        }
        console.println("  inputs:");
        for (InputValue input : run.inputs()) {
            console.println(String.format("    %-14s %s%s  (%s)", input.name(), ParameterValidator.format(
                    input.value()), input.unit().isEmpty() ? "" : " " + input.unit(), input.source()));
        }
        console.println(run.riskAssessmentId() != null ? "  stored as RiskAssessment/" + run.riskAssessmentId()
                : "  " + run.notStored());
    }
}
