package org.panacea.plugins.prediction.survival;

import org.panacea.plugins.support.CsvTable;
import org.panacea.plugins.support.stats.CoxProportionalHazards;
import org.panacea.plugins.support.stats.KaplanMeier;

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
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/**
 * Predicted overall survival of a patient with advanced lung cancer from age, sex and ECOG performance status: a Cox
 * model (Efron ties) fitted on activation to the NCCTG cohort shipped in the bundle, with the baseline cumulative
 * hazard centred at the cohort means. The curve is {@code S(t | x) = exp(-H0(t) exp((x - means) . beta))} at every
 * event time of the cohort (days); the value is the predicted median survival in days, {@code NaN} when the curve
 * stays above 0.5 through follow-up. Thread-safe: the fit is immutable once activated.
 */
@Component(service = PredictionModel.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + SurvivalModel.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + SurvivalModel.VERSION })
public class SurvivalModel implements PredictionModel {

    static final String ID = "prediction.survival.lung-cox";
    static final String VERSION = "1.0.0";

    static final String AGE = "age";
    static final String SEX = "sex";
    static final String ECOG = "ph_ecog";

    /** Input names in the order of the model's coefficients, and the data set's columns they come from. */
    private static final List<String> INPUTS = List.of(AGE, SEX, ECOG);
    private static final List<String> COLUMNS = List.of("age", "sex", "ph.ecog");

    private static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec(AGE, ParameterType.DECIMAL, "age at enrolment, in years (cohort range 39..82)", "a",
                    "http://loinc.org|30525-0", 18.0, 100.0, null, List.of()),
            new ParameterSpec(SEX, ParameterType.INTEGER, "sex: 1 male, 2 female", "1", "http://loinc.org|76689-9",
                    1.0, 2.0, null, List.of()),
            new ParameterSpec(ECOG, ParameterType.INTEGER,
                    "ECOG performance status rated by the physician: 0 fully active .. 4 bedridden (cohort 0..3)",
                    "{score}", "http://loinc.org|89247-1", 0.0, 4.0, null, List.of()));

    private volatile Fitted fitted;

    /** The fitted model and the descriptor that reports it. */
    private record Fitted(CoxProportionalHazards cox, ModelDescriptor descriptor) {
    }

    @Activate
    void activate() {
        try (InputStream in = SurvivalModel.class.getResourceAsStream("/data/lung.csv")) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks its training data /data/lung.csv");
            }
            fitted = fit(CsvTable.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle's training data /data/lung.csv", e);
        }
    }

    static Fitted fit(CsvTable lung) {
        double[] time = lung.column("time");
        double[] status = lung.column("status");
        boolean[] event = new boolean[time.length];
        double[][] x = new double[time.length][COLUMNS.size()];
        for (int i = 0; i < time.length; i++) {
            event[i] = status[i] == 2;
        }
        for (int j = 0; j < COLUMNS.size(); j++) {
            double[] column = lung.column(COLUMNS.get(j));
            for (int i = 0; i < time.length; i++) {
                x[i][j] = column[i];
            }
        }
        CoxProportionalHazards cox = CoxProportionalHazards.fit(INPUTS, x, time, event,
                CoxProportionalHazards.Ties.EFRON);
        PluginDescriptor plugin = new PluginDescriptor(ID, VERSION, "Lung cancer survival (Cox)", "Panacea",
                "Cox proportional hazards model, Efron ties, of overall survival on age, sex and physician-rated "
                        + "ECOG status; survival curve S(t|x) = S0(t)^exp((x - means) . beta) with the baseline "
                        + "cumulative hazard centred at the cohort means; value: predicted median survival in days",
                "Illustration of survival prediction for advanced lung cancer patients similar to the NCCTG cohort "
                        + "(1980s, North Central Cancer Treatment Group); not validated for treatment decisions",
                PARAMETERS);
        String training = String.format(Locale.ROOT,
                "NCCTG advanced lung cancer (R survival::lung), %d complete cases, %d deaths", cox.subjects(),
                cox.events());
        return new Fitted(cox, new ModelDescriptor(plugin, training,
                Map.of("concordance", cox.concordance().value())));
    }

    @Override
    public ModelDescriptor descriptor() {
        return fitted().descriptor();
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        CoxProportionalHazards cox = fitted().cox();
        double[] x = new double[INPUTS.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = ModelInputs.required(input, PARAMETERS.get(j));
        }
        double eta = cox.centredLinearPredictor(x);
        double relativeRisk = Math.exp(eta);
        double[] times = cox.eventTimes();
        double[] hazard = cox.baselineCumulativeHazard();
        double[] survival = new double[times.length];
        List<CurvePoint> curve = new ArrayList<>(times.length);
        for (int k = 0; k < times.length; k++) {
            survival[k] = Math.exp(-hazard[k] * relativeRisk);
            curve.add(new CurvePoint(times[k], survival[k], Double.NaN, Double.NaN));
        }
        double median = KaplanMeier.quantile(times, survival);
        double[] coefficients = cox.coefficients();
        double[] means = cox.means();
        List<Contribution> contributions = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            double c = coefficients[j] * (x[j] - means[j]);
            contributions.add(new Contribution(INPUTS.get(j), x[j], c, String.format(Locale.ROOT,
                    "%s %s vs cohort mean %.3g: log hazard %+.3f (hazard x %.2f)", INPUTS.get(j), ModelInputs.format(x[j]),
                    means[j], c, Math.exp(c))));
        }
        String interpretation = Double.isNaN(median)
                ? String.format(Locale.ROOT, "median survival not reached within the cohort's follow-up (%s days); "
                        + "hazard x %.2f versus the cohort average", ModelInputs.format(times[times.length - 1]), relativeRisk)
                : String.format(Locale.ROOT, "predicted median survival %s days; hazard x %.2f versus the cohort "
                        + "average", ModelInputs.format(median), relativeRisk);
        return new Prediction("survival", median, "d", interpretation, contributions, curve);
    }

    private Fitted fitted() {
        Fitted f = fitted;
        if (f == null) {
            throw new IllegalStateException("the survival model is not active");
        }
        return f;
    }
}
