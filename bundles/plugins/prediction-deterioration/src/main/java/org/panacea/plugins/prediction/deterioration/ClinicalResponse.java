package org.panacea.plugins.prediction.deterioration;

/**
 * The clinical risk a NEWS2 total stands for and what it calls for: Charts 2 (thresholds and triggers), 3 (clinical
 * response) and 4 (response to the risk level) of the Royal College of Physicians' NEWS2 report, 2017. A score of 3
 * in any single parameter (a "red score") raises a total below 5 to low-medium risk.
 *
 * @param risk       the clinical risk as the chart names it
 * @param monitoring the minimum frequency of monitoring
 * @param response   who is told and what they do
 */
enum ClinicalResponse {

    ROUTINE("low", "minimum 12-hourly", "continue routine NEWS monitoring"),
    WARD("low", "minimum 4-6-hourly",
            "ward-based response: inform the registered nurse, who must assess the patient and decide whether "
                    + "monitoring must become more frequent or care be escalated"),
    URGENT_WARD("low-medium", "minimum 1-hourly",
            "urgent ward-based response: the registered nurse informs the medical team caring for the patient, who "
                    + "review the patient and decide whether care must be escalated"),
    URGENT("medium", "minimum 1-hourly",
            "key threshold for urgent response: the registered nurse immediately informs the medical team caring for "
                    + "the patient and requests an urgent assessment by a clinician or team with core competencies "
                    + "in the care of acutely ill patients; clinical care in an environment with monitoring "
                    + "facilities"),
    EMERGENCY("high", "continuous monitoring of vital signs",
            "urgent or emergency response: the registered nurse immediately informs the medical team caring for the "
                    + "patient, at least at specialist registrar level; emergency assessment by a clinical team or "
                    + "critical care outreach team with critical care competencies, including practitioners with "
                    + "advanced airway management skills; consider transfer of care to a level 2 or 3 clinical care "
                    + "facility (higher-dependency unit or ICU); clinical care in an environment with monitoring "
                    + "facilities");

    private final String risk;
    private final String monitoring;
    private final String response;

    ClinicalResponse(String risk, String monitoring, String response) {
        this.risk = risk;
        this.monitoring = monitoring;
        this.response = response;
    }

    /**
     * @param total         the NEWS2 total, 0 to 20
     * @param highestSingle the most points any one parameter scored
     */
    static ClinicalResponse of(int total, int highestSingle) {
        if (total >= 7) {
            return EMERGENCY;
        } else if (total >= 5) {
            return URGENT;
        } else if (highestSingle >= 3) {
            return URGENT_WARD;
        } else if (total >= 1) {
            return WARD;
        }
        return ROUTINE;
    }

    String risk() {
        return risk;
    }

    String monitoring() {
        return monitoring;
    }

    String response() {
        return response;
    }
}
