package org.panacea.plugins.prediction.diagnosis;

import org.panacea.plugins.support.CsvTable;
import org.panacea.plugins.support.stats.LogisticRegression;
import org.panacea.plugins.support.stats.RocAuc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.plugins.support.ModelInputs;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/**
 * Probability that a breast mass is malignant from nine cytology scores of its fine-needle aspirate: a logistic
 * regression {@code P = 1 / (1 + exp(-(b0 + x . b)))} fitted on activation to the complete cases of the Wisconsin
 * breast cancer data shipped in the bundle. Each input contributes {@code b_j x_j} to the log-odds. Thread-safe: the
 * fit is immutable once activated.
 */
@Component(service = PredictionModel.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + BreastCancerMalignancyModel.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + BreastCancerMalignancyModel.VERSION })
public class BreastCancerMalignancyModel implements PredictionModel {

    static final String ID = "prediction.diagnosis.breast-malignancy";
    static final String VERSION = "1.0.0";

    static final String DATA = "/data/MASS_biopsy.csv";

    /** Input names, in the order of the model's coefficients: the data set's columns. */
    static final List<String> INPUTS = List.of("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9");
    private static final List<String> MEANINGS = List.of("clump thickness", "uniformity of cell size",
            "uniformity of cell shape", "marginal adhesion", "single epithelial cell size", "bare nuclei",
            "bland chromatin", "normal nucleoli", "mitoses");

    private static final List<ParameterSpec> PARAMETERS = parameters();

    private volatile Fitted fitted;

    /** The fitted model and the descriptor that reports it. */
    private record Fitted(LogisticRegression logit, ModelDescriptor descriptor) {
    }

    /** The complete cases of the biopsy data: the nine scores and whether the mass is malignant. */
    record Biopsy(double[][] x, boolean[] malignant) {
    }

    private static List<ParameterSpec> parameters() {
        List<ParameterSpec> parameters = new ArrayList<>();
        for (int j = 0; j < INPUTS.size(); j++) {
            parameters.add(new ParameterSpec(INPUTS.get(j), ParameterType.INTEGER, MEANINGS.get(j)
                    + ", cytology score of the fine-needle aspirate: 1 normal .. 10 most abnormal", "{score}", "",
                    1.0, 10.0, null, List.of()));
        }
        return List.copyOf(parameters);
    }

    @Activate
    void activate() {
        fitted = fit(biopsy());
    }

    /** Reads the bundle's training data and drops the rows with a missing value. */
    static Biopsy biopsy() {
        try (InputStream in = BreastCancerMalignancyModel.class.getResourceAsStream(DATA)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its training data " + DATA);
            }
            return completeCases(CsvTable.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle's training data " + DATA, e);
        }
    }

    static Biopsy completeCases(CsvTable table) {
        double[][] columns = new double[INPUTS.size()][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = table.column(INPUTS.get(j));
        }
        String[] outcome = table.text("class");
        List<double[]> rows = new ArrayList<>();
        List<Boolean> classes = new ArrayList<>();
        for (int i = 0; i < table.rows(); i++) {
            double[] row = new double[columns.length];
            boolean complete = !outcome[i].isEmpty();
            for (int j = 0; j < row.length; j++) {
                row[j] = columns[j][i];
                complete &= !Double.isNaN(row[j]);
            }
            if (complete) {
                if (!outcome[i].equals("malignant") && !outcome[i].equals("benign")) {
                    throw new IllegalArgumentException("line " + (i + 2) + ": class '" + outcome[i]
                            + "' is neither benign nor malignant");
                }
                rows.add(row);
                classes.add(outcome[i].equals("malignant"));
            }
        }
        boolean[] malignant = new boolean[classes.size()];
        for (int i = 0; i < malignant.length; i++) {
            malignant[i] = classes.get(i);
        }
        return new Biopsy(rows.toArray(double[][]::new), malignant);
    }

    static Fitted fit(Biopsy biopsy) {
        LogisticRegression logit = LogisticRegression.fit(INPUTS, biopsy.x(), biopsy.malignant());
        PluginDescriptor plugin = new PluginDescriptor(ID, VERSION, "Breast mass malignancy (logistic)", "Panacea",
                "Logistic regression, fitted by maximum likelihood (IRLS), of malignancy on nine cytology scores "
                        + "(1..10) of a breast fine-needle aspirate; value: P(malignant) = 1 / (1 + exp(-(b0 + "
                        + "sum b_j x_j))); contributions: b_j x_j in log-odds",
                "Illustration of diagnostic prediction for breast masses scored like the Wisconsin cytology data "
                        + "(University of Wisconsin Hospitals, 1989-1991); in-sample performance only, not "
                        + "validated for diagnosis",
                PARAMETERS);
        String training = String.format(Locale.ROOT,
                "Wisconsin breast cancer cytology (R MASS::biopsy), %d complete cases, %d malignant",
                logit.observations(), logit.positives());
        double auc = RocAuc.auc(logit.fitted(), biopsy.malignant());
        return new Fitted(logit, new ModelDescriptor(plugin, training, Map.of("auc", auc)));
    }

    @Override
    public ModelDescriptor descriptor() {
        return fitted().descriptor();
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        LogisticRegression logit = fitted().logit();
        double[] x = new double[INPUTS.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = ModelInputs.required(input, PARAMETERS.get(j));
        }
        double[] coefficients = logit.coefficients();
        double logOdds = logit.linearPredictor(x);
        double probability = LogisticRegression.logistic(logOdds);
        List<Contribution> contributions = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            double c = coefficients[j + 1] * x[j];
            contributions.add(new Contribution(INPUTS.get(j), x[j], c, String.format(Locale.ROOT,
                    "%s (%s) %s: log-odds %+.3f (odds x %.2f)", INPUTS.get(j), MEANINGS.get(j), ModelInputs.format(x[j]), c,
                    Math.exp(c))));
        }
        String interpretation = String.format(Locale.ROOT,
                "estimated probability of malignancy %.3f (%.1f%%): log-odds %+.3f, the intercept %.3f plus the "
                        + "inputs' contributions", probability, 100 * probability, logOdds, coefficients[0]);
        return new Prediction("malignancy", probability, "probability", interpretation, contributions, List.of());
    }

    /** The fitted intercept, in log-odds: with the contributions it makes up the prediction's log-odds. */
    double intercept() {
        return fitted().logit().intercept();
    }

    private Fitted fitted() {
        Fitted f = fitted;
        if (f == null) {
            throw new IllegalStateException("the breast malignancy model is not active");
        }
        return f;
    }
}
