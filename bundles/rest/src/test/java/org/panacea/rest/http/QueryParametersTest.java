package org.panacea.rest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void aCountInRangeIsTakenAndAnAbsentOneIsTheDefault() {
        assertEquals(100, QueryParameters.count(null, 100, 1000));
        assertEquals(1, QueryParameters.count("1", 100, 1000));
        assertEquals(1000, QueryParameters.count("1000", 100, 1000));
    }

    @Test
    void anythingElseIsRefusedNamingTheValueAndTheRange() {
        for (String wrong : new String[] {"0", "-5", "1001", "ten", "", "2147483648"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> QueryParameters.count(wrong, 100, 1000));
            assertEquals("_count: '" + wrong + "' is not a number in 1..1000", refused.getMessage());
        }
    }
}
