package org.panacea.engine.command;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.engine.internal.prediction.ModelRuns;

/** {@code model:list}: the installed models' cards: intended use, training data, validation, inputs. */
@Command(scope = "model", name = "list", description = "Lists the installed prediction models with their cards")
@Service
public class ModelListCommand implements Action {

    @Reference
    ModelRuns runs;

    @Reference
    Session session;

    @Override
    public Object execute() {
        PrintStream console = session.getConsole();
        List<ModelDescriptor> models = runs.catalogue();
        if (models.isEmpty()) {
            console.println("No prediction model is installed (feature:install panacea-prediction installs the "
                    + "samples)");
            return null;
        }
        for (ModelDescriptor model : models) {
            PluginDescriptor plugin = model.plugin();
            console.println(plugin.id() + " " + plugin.version() + "  " + plugin.name()
                    + (plugin.vendor().isEmpty() ? "" : " (" + plugin.vendor() + ")"));
            if (!plugin.intendedUse().isEmpty()) {
                console.println("    intended use: " + plugin.intendedUse());
            }
            console.println("    trained on: " + (model.trainingData().isEmpty() ? "(not stated)"
                    : model.trainingData()));
            StringBuilder metrics = new StringBuilder();
            new TreeMap<>(model.validationMetrics()).forEach((name, value) -> metrics
                    .append(metrics.length() == 0 ? "" : ", ").append(name).append(' ')
                    .append(String.format(Locale.ROOT, "%.4g", value)));
            console.println("    validation: " + (metrics.length() == 0 ? "(none reported)" : metrics));
            console.println("    inputs:");
            SpecLines.print(console, plugin.parameters());
        }
        return null;
    }
}
