package org.panacea.records.internal.search;

import org.panacea.records.internal.fhir.SearchParameters;

/** Small facts about includes shared by parsing and running a search. */
final class SearchRequestSupport {

    private SearchRequestSupport() {
    }

    /** Whether an include follows the clear patient column ({@code subject}/{@code patient} of patient data). */
    static boolean toPatient(SearchRequest.Include include) {
        return SearchParameters.PATIENT_PARAMETERS.contains(include.parameter())
                && SearchParameters.patientLinked(include.sourceType());
    }
}
