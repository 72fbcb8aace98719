package org.panacea.plugins.prediction.deterioration;

import java.util.List;
import java.util.Locale;
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
import org.panacea.plugins.support.ModelInputs;

/**
 * The National Early Warning Score 2 of the Royal College of Physicians (2017): the points of seven physiological
 * parameters from {@link News2Chart}, their total (0 to 20), the clinical risk and the monitoring and response it
 * calls for ({@link ClinicalResponse}). A published score: nothing is fitted. Stateless and thread-safe.
 */
@Component(service = PredictionModel.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + News2Model.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + News2Model.VERSION })
public class News2Model implements PredictionModel {

    static final String ID = "prediction.news2";
    static final String VERSION = "1.0.0";

    static final String RESPIRATION_RATE = "respiration_rate";
    static final String SPO2 = "spo2";
    static final String SPO2_SCALE = "spo2_scale";
    static final String SUPPLEMENTAL_OXYGEN = "supplemental_oxygen";
    static final String SYSTOLIC_BP = "systolic_bp";
    static final String PULSE = "pulse";
    static final String CONSCIOUSNESS = "consciousness";
    static final String TEMPERATURE = "temperature";

    private static final ParameterSpec RESPIRATION_RATE_SPEC = new ParameterSpec(RESPIRATION_RATE,
            ParameterType.DECIMAL, "respiration rate, breaths per minute, charted to a whole number", "/min",
            "http://loinc.org|9279-1", 0.0, 80.0, null, List.of());
    private static final ParameterSpec SPO2_SPEC = new ParameterSpec(SPO2, ParameterType.DECIMAL,
            "oxygen saturation by pulse oximetry, %, charted to a whole number", "%", "http://loinc.org|59408-5",
            50.0, 100.0, null, List.of());
    private static final ParameterSpec SPO2_SCALE_SPEC = new ParameterSpec(SPO2_SCALE, ParameterType.INTEGER,
            "SpO2 scale: 1 for most patients (default); 2 only when a clinician has confirmed hypercapnic respiratory "
                    + "failure and prescribed a target saturation of 88-92%",
            "1", "", 1.0, 2.0, "1", List.of());
    private static final ParameterSpec SUPPLEMENTAL_OXYGEN_SPEC = new ParameterSpec(SUPPLEMENTAL_OXYGEN,
            ParameterType.BOOLEAN, "on supplemental oxygen by any device: 1 yes, 0 breathing air", "", "", 0.0, 1.0,
            null, List.of());
    private static final ParameterSpec SYSTOLIC_BP_SPEC = new ParameterSpec(SYSTOLIC_BP, ParameterType.DECIMAL,
            "systolic blood pressure, charted to a whole number", "mm[Hg]", "http://loinc.org|8480-6", 20.0, 300.0,
            null, List.of());
    private static final ParameterSpec PULSE_SPEC = new ParameterSpec(PULSE, ParameterType.DECIMAL,
            "pulse (heart rate), beats per minute, charted to a whole number", "/min", "http://loinc.org|8867-4", 0.0,
            300.0, null, List.of());
    private static final ParameterSpec CONSCIOUSNESS_SPEC = new ParameterSpec(CONSCIOUSNESS, ParameterType.INTEGER,
            "level of consciousness on the ACVPU scale: 0 alert; 1 new confusion, or responds only to voice or to "
                    + "pain, or unresponsive",
            "1", "", 0.0, 1.0, null, List.of());
    private static final ParameterSpec TEMPERATURE_SPEC = new ParameterSpec(TEMPERATURE, ParameterType.DECIMAL,
            "body temperature, charted to 0.1 Cel", "Cel", "http://loinc.org|8310-5", 25.0, 45.0, null, List.of());

    private static final List<ParameterSpec> PARAMETERS = List.of(RESPIRATION_RATE_SPEC, SPO2_SPEC, SPO2_SCALE_SPEC,
            SUPPLEMENTAL_OXYGEN_SPEC, SYSTOLIC_BP_SPEC, PULSE_SPEC, CONSCIOUSNESS_SPEC, TEMPERATURE_SPEC);

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(new PluginDescriptor(ID, VERSION,
            "NEWS2 (National Early Warning Score 2)", "Panacea",
            "The Royal College of Physicians' NEWS2 (2017), Chart 1: respiration rate, SpO2 (scale 1, or scale 2 for "
                    + "confirmed hypercapnic respiratory failure), air or supplemental oxygen, systolic blood pressure, "
                    + "pulse, consciousness (ACVPU) and temperature each score 0 to 3 points; value: their total, 0 to "
                    + "20 points. Measured values are charted as an observer writes them (whole numbers, temperature "
                    + "to 0.1 Cel, halves rounded up) before the chart's bands are applied. Clinical risk (Chart 2): "
                    + "low 0-4, low-medium when any single parameter scores 3, medium 5-6, high 7 or more; the "
                    + "interpretation names the minimum monitoring frequency and the clinical response of Charts 3 "
                    + "and 4. Contributions: each parameter's points with the band it fell in.",
            "Tracking and triggering acute-illness severity in adults (16 years or older) in hospital and before "
                    + "admission, from one complete set of observations; supports, never replaces, clinical "
                    + "judgement. Not for children or pregnant women (use a paediatric or obstetric score); a "
                    + "single set cannot show a trend.",
            PARAMETERS),
            "Published score, not fitted here: Royal College of Physicians, National Early Warning Score (NEWS) 2: "
                    + "standardising the assessment of acute-illness severity in the NHS, updated report of a working "
                    + "party, London 2017 (Charts 1-4). Metrics as published: auroc_*_smith2013 from Smith et al., "
                    + "Resuscitation 2013;84:465-470 (NEWS, whose weights NEWS2 keeps on SpO2 scale 1; 198,755 "
                    + "observation sets of 35,585 acute medical admissions; outcomes within 24 h); "
                    + "auroc_death_24h_news2_*_pimentel2019 from Pimentel et al., Resuscitation 2019;134:147-156 "
                    + "(48,898 admissions at risk of type 2 respiratory failure, 1,394 with it documented)",
            Map.of("auroc_death_24h_smith2013", 0.894,
                    "auroc_cardiac_arrest_24h_smith2013", 0.722,
                    "auroc_unanticipated_icu_admission_24h_smith2013", 0.857,
                    "auroc_any_outcome_24h_smith2013", 0.873,
                    "auroc_death_24h_news2_t2rf_risk_pimentel2019", 0.860,
                    "auroc_death_24h_news2_documented_t2rf_pimentel2019", 0.841));

    @Override
    public ModelDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        double respirationRate = ModelInputs.required(input, RESPIRATION_RATE_SPEC);
        double spo2 = ModelInputs.required(input, SPO2_SPEC);
        int scale = (int) ModelInputs.orDefault(input, SPO2_SCALE_SPEC);
        boolean onOxygen = ModelInputs.required(input, SUPPLEMENTAL_OXYGEN_SPEC) == 1;
        double systolic = ModelInputs.required(input, SYSTOLIC_BP_SPEC);
        double pulse = ModelInputs.required(input, PULSE_SPEC);
        boolean alert = ModelInputs.required(input, CONSCIOUSNESS_SPEC) == 0;
        double temperature = ModelInputs.required(input, TEMPERATURE_SPEC);

        List<Contribution> contributions = List.of(
                contribution(RESPIRATION_RATE, respirationRate, "respiration rate " + ModelInputs.format(respirationRate)
                        + "/min", News2Chart.respirationRate(News2Chart.charted(respirationRate))),
                contribution(SPO2, spo2, "SpO2 " + ModelInputs.format(spo2) + "%",
                        News2Chart.oxygenSaturation(News2Chart.charted(spo2), scale, onOxygen)),
                contribution(SUPPLEMENTAL_OXYGEN, onOxygen ? 1 : 0, onOxygen ? "on supplemental oxygen"
                        : "breathing air", News2Chart.airOrOxygen(onOxygen)),
                contribution(SYSTOLIC_BP, systolic, "systolic blood pressure " + ModelInputs.format(systolic)
                        + " mm[Hg]", News2Chart.systolicPressure(News2Chart.charted(systolic))),
                contribution(PULSE, pulse, "pulse " + ModelInputs.format(pulse) + "/min",
                        News2Chart.pulse(News2Chart.charted(pulse))),
                contribution(CONSCIOUSNESS, alert ? 0 : 1, alert ? "alert" : "not alert",
                        News2Chart.consciousness(alert)),
                contribution(TEMPERATURE, temperature, "temperature " + ModelInputs.format(temperature) + " Cel",
                        News2Chart.temperature(News2Chart.chartedTenths(temperature))));
        int total = 0;
        int highestSingle = 0;
        for (Contribution c : contributions) {
            total += (int) c.contribution();
            highestSingle = Math.max(highestSingle, (int) c.contribution());
        }
        ClinicalResponse response = ClinicalResponse.of(total, highestSingle);
        String interpretation = String.format(Locale.ROOT, "NEWS2 %d%s: %s clinical risk. Monitoring: %s. "
                + "Response: %s", total, highestSingle == 3 ? " (a single parameter scores 3)" : "", response.risk(),
                response.monitoring(), response.response());
        return new Prediction("clinical deterioration", total, "points", interpretation, contributions, List.of());
    }

    /** {@code "respiration rate 25/min, band >= 25: 3 points"}. */
    private static Contribution contribution(String input, double value, String observation, Band band) {
        return new Contribution(input, value, band.points(), observation + ", band " + band.label() + ": "
                + band.points() + (band.points() == 1 ? " point" : " points"));
    }
}
