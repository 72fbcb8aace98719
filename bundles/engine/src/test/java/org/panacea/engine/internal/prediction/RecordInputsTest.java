package org.panacea.engine.internal.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RecordInputsTest {

    @Test
    void theNumbersForMaleAndFemaleAreReadFromTheInputsDescription() {
        assertEquals(Map.of("male", 1.0, "female", 2.0), RecordInputs.sexNumbers("sex: 1 male, 2 female"));
        assertEquals(Map.of("male", 1.0, "female", 0.0), RecordInputs.sexNumbers("Sex (male=1, female=0)"));
        assertEquals(Map.of("female", 0.0, "male", 1.0), RecordInputs.sexNumbers("0 = female, 1 = male"));
        assertEquals(Map.of(), RecordInputs.sexNumbers("biological sex as recorded"));
        assertEquals(Map.of("female", 1.0), RecordInputs.sexNumbers("1 female"),
                "only female: the input is then not read");
    }

    @Test
    void fhirDatesAndDateTimesAreInstants() {
        assertEquals(Optional.of(Instant.parse("2024-05-07T20:41:52Z")),
                RecordInputs.instant("2024-05-07T20:41:52+00:00"));
        assertEquals(Optional.of(Instant.parse("2024-05-07T00:00:00Z")), RecordInputs.instant("2024-05-07"));
        assertEquals(Optional.empty(), RecordInputs.instant("2024"));
    }
}
