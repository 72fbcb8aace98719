package ${package};

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionException;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;

/**
 * The quick SOFA score (qSOFA), the example prediction plugin: one point each for a respiratory rate of 22/min or
 * more, a systolic blood pressure of 100 mm Hg or less, and altered mentation (Glasgow Coma Scale below 15), as
 * defined by the Third International Consensus Definitions for Sepsis (Singer et al., JAMA 2016;315(8):801-810)
 * and derived by Seymour et al. (JAMA 2016;315(8):762-774). Every criterion is explained in the prediction.
 * Thread-safe: no state but the constant model card.
 */
@Component(service = PredictionModel.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + QsofaScore.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + QsofaScore.VERSION })
public class QsofaScore implements PredictionModel {

    static final String ID = "${pluginId}";
    /** The model's version (major.minor.micro): at least a minor bump whenever predictions change. */
    static final String VERSION = "1.0.0";

    static final ParameterSpec RESPIRATORY_RATE = new ParameterSpec("respiratory_rate", ParameterType.DECIMAL,
            "respiratory rate in breaths per minute; 22/min or more scores 1 point", "/min",
            "http://loinc.org|9279-1", 0.0, 100.0, null, List.of());
    static final ParameterSpec SYSTOLIC_PRESSURE = new ParameterSpec("systolic_pressure", ParameterType.DECIMAL,
            "systolic blood pressure in mm Hg; 100 mm Hg or less scores 1 point", "mm[Hg]",
            "http://loinc.org|8480-6", 0.0, 300.0, null, List.of());
    static final ParameterSpec GLASGOW_COMA_SCALE = new ParameterSpec("glasgow_coma_scale", ParameterType.INTEGER,
            "Glasgow Coma Scale total (3 to 15); below 15 (altered mentation) scores 1 point", "{score}",
            "http://loinc.org|9269-2", 3.0, 15.0, null, List.of());
    static final List<ParameterSpec> INPUTS = List.of(RESPIRATORY_RATE, SYSTOLIC_PRESSURE, GLASGOW_COMA_SCALE);

    private static final ModelDescriptor CARD = new ModelDescriptor(new PluginDescriptor(ID, VERSION,
            "qSOFA (quick Sequential Organ Failure Assessment)", "${vendorName}",
            "Sum of three bedside criteria, 0 to 3 points: respiratory rate >= 22/min, systolic blood pressure "
                    + "<= 100 mm Hg, Glasgow Coma Scale < 15. A score of 2 or more flags a higher risk of death or a "
                    + "prolonged ICU stay in adults with suspected infection",
            "Example plugin from the Panacea SDK: prompting clinicians to assess adults outside the ICU with "
                    + "suspected infection for organ dysfunction (sepsis); not a diagnosis of sepsis, and a score "
                    + "below 2 does not rule it out",
            INPUTS),
            "Seymour CW et al., JAMA 2016;315(8):762-774: 148,907 encounters with suspected infection among 1.3 "
                    + "million adult encounters at 12 UPMC hospitals, south-western Pennsylvania, 2010-2012 "
                    + "(derivation and validation), and 706,399 encounters at 165 hospitals in the US and Germany "
                    + "(external validation)",
            Map.of("auroc_in_hospital_mortality_outside_icu", 0.81));

    @Override
    public ModelDescriptor descriptor() {
        return CARD;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        double rate = required(input, RESPIRATORY_RATE);
        double systolic = required(input, SYSTOLIC_PRESSURE);
        double glasgow = required(input, GLASGOW_COMA_SCALE);
        Contribution tachypnoea = criterion(RESPIRATORY_RATE, rate, rate >= 22,
                "respiratory rate " + rate + "/min");
        Contribution hypotension = criterion(SYSTOLIC_PRESSURE, systolic, systolic <= 100,
                "systolic pressure " + systolic + " mm Hg");
        Contribution mentation = criterion(GLASGOW_COMA_SCALE, glasgow, glasgow < 15,
                "Glasgow Coma Scale " + (int) glasgow);
        double score = tachypnoea.contribution() + hypotension.contribution() + mentation.contribution();
        String interpretation = score >= 2
                ? "qSOFA " + (int) score + " of 3: higher risk of a poor outcome; assess for organ dysfunction "
                        + "(sepsis) and escalate care"
                : "qSOFA " + (int) score + " of 3: below the threshold of 2, which does not rule out sepsis; "
                        + "reassess if the patient deteriorates";
        return new Prediction("poor outcome of suspected infection (qSOFA)", score, "points", interpretation,
                List.of(tachypnoea, hypotension, mentation), List.of());
    }

    private static Contribution criterion(ParameterSpec spec, double value, boolean met, String finding) {
        return new Contribution(spec.name(), value, met ? 1 : 0, finding + (met ? ": 1 point" : ": 0 points"));
    }

    /** The input's value, refused with its name and range when it is missing or out of range. */
    private static double required(PredictionInput input, ParameterSpec spec) throws PredictionException {
        double value = input.value(spec.name()).orElseThrow(() -> new PredictionException(
                "input " + spec.name() + " (" + spec.description() + ") is missing"));
        if (!(value >= spec.minimum() && value <= spec.maximum())) {
            throw new PredictionException("input " + spec.name() + " must be " + spec.minimum() + " to "
                    + spec.maximum() + " " + spec.unit() + ", was " + value);
        }
        return value;
    }
}
