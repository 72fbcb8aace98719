package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The StudyDate matching key: single dates and ranges open on either side, against FHIR dateTimes. */
class QidoDateRangeTest {

    @Test
    void aSingleDateMatchesThatDayWhateverTheTime() {
        QidoRs.DateRange day = QidoRs.DateRange.parse("20040119");
        assertTrue(day.includes("2004-01-19"));
        assertTrue(day.includes("2004-01-19T07:27:30+01:00"));
        assertFalse(day.includes("2004-01-20"));
        assertFalse(day.includes("2004-01-18T23:59:59Z"));
    }

    @Test
    void rangesIncludeTheirBoundsAndMayBeOpen() {
        QidoRs.DateRange closed = QidoRs.DateRange.parse("20040101-20040131");
        assertTrue(closed.includes("2004-01-01"));
        assertTrue(closed.includes("2004-01-31"));
        assertFalse(closed.includes("2004-02-01"));
        assertTrue(QidoRs.DateRange.parse("-20040119").includes("1999-12-31"));
        assertFalse(QidoRs.DateRange.parse("-20040118").includes("2004-01-19"));
        assertTrue(QidoRs.DateRange.parse("20040119-").includes("2030-01-01"));
        assertFalse(QidoRs.DateRange.parse("20040120-").includes("2004-01-19"));
    }

    @Test
    void studiesWithoutADateNeverMatchADateKey() {
        assertFalse(QidoRs.DateRange.parse("19000101-").includes(""));
        assertFalse(QidoRs.DateRange.parse("19000101-").includes("2004"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2004-01-19", "20041319", "-", "2004011", "yesterday", "20040101-2004" })
    void malformedDatesAreRefusedNamingTheForm(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QidoRs.DateRange.parse(value));
        assertTrue(e.getMessage().contains("StudyDate"), e.getMessage());
    }
}
