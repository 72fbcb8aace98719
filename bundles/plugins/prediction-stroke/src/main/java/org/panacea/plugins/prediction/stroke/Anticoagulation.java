package org.panacea.plugins.prediction.stroke;

/**
 * The 2020 ESC guidelines for atrial fibrillation (Hindricks et al., Eur Heart J 2021;42:373-498) on oral
 * anticoagulation (OAC) for stroke prevention by CHA2DS2-VASc score. Female sex is a risk modifier rather than a risk
 * factor, so a woman's thresholds are one point higher than a man's.
 */
enum Anticoagulation {

    NOT_INDICATED("no antithrombotic therapy for stroke prevention: low risk (score 0 in a man, 1 in a woman); "
            + "antiplatelet therapy alone is not recommended for stroke prevention (class III); reassess the risk "
            + "regularly"),
    CONSIDER("OAC should be considered (class IIa): individualise on the net clinical benefit and the patient's "
            + "values and preferences; assess bleeding risk (HAS-BLED) and address modifiable bleeding risk factors"),
    RECOMMENDED("OAC is recommended (class I), a non-vitamin K antagonist oral anticoagulant in preference to a "
            + "vitamin K antagonist unless the patient has a mechanical heart valve or moderate-to-severe mitral "
            + "stenosis; assess bleeding risk (HAS-BLED) to address modifiable factors, not to withhold OAC");

    private final String advice;

    Anticoagulation(String advice) {
        this.advice = advice;
    }

    /** OAC recommended at >= 2 (men) / >= 3 (women), to consider at 1 / 2, not indicated at 0 / 1. */
    static Anticoagulation forScore(int score, boolean female) {
        int risk = female ? score - 1 : score;
        if (risk >= 2) {
            return RECOMMENDED;
        } else if (risk == 1) {
            return CONSIDER;
        }
        return NOT_INDICATED;
    }

    String advice() {
        return advice;
    }
}
