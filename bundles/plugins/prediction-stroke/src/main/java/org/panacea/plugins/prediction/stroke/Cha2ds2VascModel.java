package org.panacea.plugins.prediction.stroke;

import java.util.ArrayList;
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
 * CHA2DS2-VASc (Lip et al., Chest 2010;137:263-272), the stroke risk score of atrial fibrillation: congestive heart
 * failure 1, hypertension 1, age >= 75 years 2, diabetes 1, prior stroke, TIA or thromboembolism 2, vascular disease
 * 1, age 65-74 years 1, female sex 1; 0 to 9 points. The prediction gives each point with its reason, the annual
 * stroke rate of {@link StrokeRates} and the anticoagulation advice of {@link Anticoagulation}. A published score:
 * nothing is fitted. Stateless and thread-safe.
 */
@Component(service = PredictionModel.class, property = {
        PluginHeaders.SERVICE_PLUGIN_ID + "=" + Cha2ds2VascModel.ID,
        PluginHeaders.SERVICE_PLUGIN_VERSION + "=" + Cha2ds2VascModel.VERSION })
public class Cha2ds2VascModel implements PredictionModel {

    static final String ID = "prediction.cha2ds2-vasc";
    static final String VERSION = "1.0.0";

    private static final String SNOMED = "http://snomed.info/sct|";
    private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10|";

    static final ParameterSpec HEART_FAILURE = yesNo("congestive_heart_failure",
            "C: congestive heart failure, or objective evidence of moderate-to-severe left ventricular dysfunction, "
                    + "or hypertrophic cardiomyopathy: 1 yes, 0 no",
            SNOMED + "84114007", SNOMED + "42343007", ICD10 + "I50.0", ICD10 + "I50.1", ICD10 + "I50.9");
    static final ParameterSpec HYPERTENSION = yesNo("hypertension",
            "H: hypertension, or on antihypertensive therapy: 1 yes, 0 no",
            SNOMED + "38341003", SNOMED + "59621000", ICD10 + "I10");
    static final ParameterSpec AGE = new ParameterSpec("age", ParameterType.DECIMAL,
            "A2 / A: age in years; 65-74 scores 1 point, 75 or more 2 points", "a", "urn:panacea:patient|age",
            18.0, 120.0, null, List.of());
    static final ParameterSpec DIABETES = yesNo("diabetes",
            "D: diabetes mellitus, type 1 or 2 (or on treatment for it): 1 yes, 0 no",
            SNOMED + "44054006", SNOMED + "46635009", SNOMED + "73211009", ICD10 + "E10.9", ICD10 + "E11.9");
    static final ParameterSpec STROKE = yesNo("stroke_tia_thromboembolism",
            "S2: prior stroke, transient ischaemic attack or thromboembolism: 1 yes, 0 no",
            SNOMED + "230690007", SNOMED + "266257000", SNOMED + "422504002", ICD10 + "I63.9", ICD10 + "I64",
            ICD10 + "G45.9", ICD10 + "I74.9");
    static final ParameterSpec VASCULAR_DISEASE = yesNo("vascular_disease",
            "V: vascular disease: prior myocardial infarction, peripheral artery disease or aortic plaque: 1 yes, "
                    + "0 no",
            SNOMED + "22298006", SNOMED + "399211009", SNOMED + "399957001", ICD10 + "I21.9", ICD10 + "I25.2",
            ICD10 + "I70.0", ICD10 + "I70.2", ICD10 + "I73.9");
    static final ParameterSpec FEMALE = new ParameterSpec("female", ParameterType.BOOLEAN,
            "Sc: sex category: 1 female, 0 male", "", "urn:panacea:patient|female", 0.0, 1.0, null, List.of());

    private static final List<ParameterSpec> PARAMETERS = List.of(HEART_FAILURE, HYPERTENSION, AGE, DIABETES, STROKE,
            VASCULAR_DISEASE, FEMALE);

    private static final ModelDescriptor DESCRIPTOR = new ModelDescriptor(new PluginDescriptor(ID, VERSION,
            "CHA2DS2-VASc stroke risk in atrial fibrillation", "Panacea",
            "CHA2DS2-VASc (Lip et al., Chest 2010;137:263-272): congestive heart failure 1, hypertension 1, age 75 "
                    + "years or more 2, diabetes 1, prior stroke/TIA/thromboembolism 2, vascular disease (prior "
                    + "myocardial infarction, peripheral artery disease, aortic plaque) 1, age 65-74 years 1, female "
                    + "sex 1; value: the score, 0 to 9 points. Contributions: each criterion's points and why. "
                    + "Interpretation: the annual rate of ischaemic stroke, and of stroke, TIA or systemic embolism, "
                    + "without anticoagulation at that score (Friberg 2012, Swedish Atrial Fibrillation cohort), and "
                    + "the 2020 ESC recommendation on oral anticoagulation (recommended at 2 or more for men, 3 or "
                    + "more for women; to consider at 1 / 2; not indicated at 0 / 1).",
            "Stroke risk stratification of adults with non-valvular atrial fibrillation or flutter, to inform the "
                    + "decision on oral anticoagulation together with the bleeding risk and the patient's "
                    + "preferences. Not for patients with a mechanical heart valve or moderate-to-severe mitral "
                    + "stenosis (they need anticoagulation regardless) and not for people without atrial "
                    + "fibrillation.",
            PARAMETERS),
            "Published score, not fitted here: derived by Lip et al., Chest 2010;137:263-272 (Euro Heart Survey on "
                    + "atrial fibrillation); annual stroke rates from Friberg, Rosenqvist and Lip, Eur Heart J "
                    + "2012;33:1500-1510 (Swedish Atrial Fibrillation cohort, 90,490 patients without "
                    + "anticoagulation). Metric as published: c-statistic for ischaemic stroke pooled over the "
                    + "validations meta-analysed by van der Endt et al., Europace 2022;24:1739-1753 (6,267,728 "
                    + "patients)",
            Map.of("c_statistic_ischaemic_stroke_pooled_vanderendt2022", 0.644));

    private static ParameterSpec yesNo(String name, String description, String... codes) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, description, "", String.join(", ", codes), 0.0, 1.0,
                null, List.of());
    }

    @Override
    public ModelDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Prediction predict(PredictionInput input) throws PredictionException {
        List<Contribution> contributions = new ArrayList<>();
        contributions.add(criterion(input, HEART_FAILURE, 1, "C: congestive heart failure"));
        contributions.add(criterion(input, HYPERTENSION, 1, "H: hypertension"));
        double age = ModelInputs.required(input, AGE);
        int agePoints = age >= 75 ? 2 : age >= 65 ? 1 : 0;
        contributions.add(new Contribution(AGE.name(), age, agePoints, String.format(Locale.ROOT,
                "%s: age %s years (%s): %s", agePoints == 2 ? "A2" : "A", ModelInputs.format(age),
                agePoints == 2 ? "75 or more" : agePoints == 1 ? "65-74" : "under 65", points(agePoints))));
        contributions.add(criterion(input, DIABETES, 1, "D: diabetes"));
        contributions.add(criterion(input, STROKE, 2, "S2: prior stroke, TIA or thromboembolism"));
        contributions.add(criterion(input, VASCULAR_DISEASE, 1, "V: vascular disease"));
        boolean female = ModelInputs.required(input, FEMALE) == 1;
        contributions.add(new Contribution(FEMALE.name(), female ? 1 : 0, female ? 1 : 0,
                "Sc: sex category " + (female ? "female: 1 point" : "male: 0 points")));
        int score = 0;
        for (Contribution c : contributions) {
            score += (int) c.contribution();
        }
        Anticoagulation advice = Anticoagulation.forScore(score, female);
        String interpretation = String.format(Locale.ROOT,
                "CHA2DS2-VASc %d (%s): annual rate without anticoagulation %.1f%% for ischaemic stroke, %.1f%% for "
                        + "stroke, TIA or systemic embolism (%s). ESC 2020 for atrial fibrillation: %s",
                score, female ? "woman" : "man", StrokeRates.ischaemicStroke(score),
                StrokeRates.strokeTiaOrEmbolism(score), StrokeRates.SOURCE, advice.advice());
        return new Prediction("stroke in atrial fibrillation", score, "points", interpretation, contributions,
                List.of());
    }

    private static Contribution criterion(PredictionInput input, ParameterSpec spec, int weight, String label)
            throws PredictionException {
        boolean present = ModelInputs.required(input, spec) == 1;
        int points = present ? weight : 0;
        return new Contribution(spec.name(), present ? 1 : 0, points,
                label + (present ? " present: " : " absent: ") + points(points));
    }

    private static String points(int points) {
        return points + (points == 1 ? " point" : " points");
    }
}
