package org.panacea.plugins.prediction.stroke;

/**
 * Annual stroke rates by CHA2DS2-VASc score in atrial fibrillation without oral anticoagulation, as published by
 * Friberg, Rosenqvist and Lip, Eur Heart J 2012;33:1500-1510 (Swedish Atrial Fibrillation cohort: 90,490 patients
 * without oral anticoagulation), events per 100 patient-years. Chosen over the adjusted rates often tabulated after
 * Lip et al. 2010, which come from far smaller cohorts, part of them anticoagulated, because the decision this score
 * informs is whether to start anticoagulation.
 */
final class StrokeRates {

    /** Ischaemic stroke, % per year, by score 0..9. */
    private static final double[] ISCHAEMIC_STROKE = { 0.2, 0.6, 2.2, 3.2, 4.8, 7.2, 9.7, 11.2, 10.8, 12.2 };

    /** Ischaemic stroke, TIA or systemic embolism, % per year, by score 0..9. */
    private static final double[] STROKE_TIA_EMBOLISM = { 0.3, 0.9, 2.9, 4.6, 6.7, 10.0, 13.6, 15.7, 15.2, 17.4 };

    static final String SOURCE = "Friberg 2012 (Eur Heart J 33:1500-1510), Swedish Atrial Fibrillation cohort "
            + "without anticoagulation";

    private StrokeRates() {
    }

    /** Ischaemic strokes per 100 patient-years at {@code score}. */
    static double ischaemicStroke(int score) {
        return ISCHAEMIC_STROKE[checked(score)];
    }

    /** Ischaemic strokes, TIAs or systemic emboli per 100 patient-years at {@code score}. */
    static double strokeTiaOrEmbolism(int score) {
        return STROKE_TIA_EMBOLISM[checked(score)];
    }

    private static int checked(int score) {
        if (score < 0 || score > 9) {
            throw new IllegalArgumentException("a CHA2DS2-VASc score is 0 to 9, was " + score);
        }
        return score;
    }
}
