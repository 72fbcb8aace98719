package org.panacea.engine.internal.parameters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.engine.internal.run.PluginCrashedException;

class ParameterValidatorTest {

    private static final PluginDescriptor FILTER = new PluginDescriptor("imaging.test-filter", "1.0.0", "Filter",
            "Test", "", "", List.of(
                    ParameterSpec.decimal("sigma", "standard deviation", "mm", 0.1, 50.0, 2.0),
                    ParameterSpec.choice("border", "border mode", "reflect", List.of("reflect", "nearest")),
                    ParameterSpec.integer("iterations", "passes", 1, 10, null),
                    new ParameterSpec("invert", ParameterType.BOOLEAN, "invert the output", "", "", null, null,
                            "false", List.of()),
                    new ParameterSpec("label", ParameterType.TEXT, "series label", "", "", null, null, "", List.of()),
                    new ParameterSpec("level", ParameterType.DECIMAL, "window level", "[hnsf'U]", "", -1024.0,
                            null, "40", List.of())));

    private static Map<String, Object> values(Object... nameValue) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            values.put((String) nameValue[i], nameValue[i + 1]);
        }
        return values;
    }

    private static List<String> problems(Map<String, Object> raw, RawSource source) {
        return assertThrows(InvalidParametersException.class,
                () -> ParameterValidator.validate(FILTER, raw, source)).problems();
    }

    @Test
    void defaultsAreFilledInWithThePromisedTypes() {
        Parameters parameters = ParameterValidator.validate(FILTER, values("iterations", 3), RawSource.JSON);

        assertEquals(Map.of("sigma", 2.0, "border", "reflect", "iterations", 3, "invert", false, "label", "",
                "level", 40.0), parameters.values());
        assertEquals(Integer.class, parameters.values().get("iterations").getClass());
        assertEquals(Double.class, parameters.values().get("sigma").getClass());
    }

    @Test
    void jsonNumbersOfEveryKindAreRead() {
        Parameters parameters = ParameterValidator.validate(FILTER, values("sigma", new BigDecimal("0.5"),
                "iterations", 4.0, "level", Long.valueOf(-1024), "invert", true), RawSource.JSON);

        assertEquals(0.5, parameters.decimal("sigma"));
        assertEquals(4, parameters.integer("iterations"), "4.0 is a whole number");
        assertEquals(-1024.0, parameters.decimal("level"));
        assertEquals(true, parameters.flag("invert"));
    }

    @Test
    void everyProblemIsReportedNamingTheParameterItsTypeRangeAndUnit() {
        List<String> problems = problems(values("sigma", 80, "border", "mirror", "iterations", 2.5, "invert", "yes",
                "sigmaa", 1, "level", -2000), RawSource.JSON);

        assertEquals(List.of(
                "unknown parameter 'sigmaa': imaging.test-filter takes sigma, border, iterations, invert, label, level",
                "parameter 'sigma' must be a decimal number from 0.1 to 50 (unit mm); got 80",
                "parameter 'border' must be one of reflect, nearest; got text \"mirror\"",
                "parameter 'iterations' must be a whole number from 1 to 10; got 2.5",
                "parameter 'invert' must be true or false; got text \"yes\"",
                "parameter 'level' must be a decimal number of at least -1024 (unit [hnsf'U]); got -2000"), problems);
    }

    @Test
    void jsonTypesAreNotGuessed() {
        assertEquals(List.of("parameter 'sigma' must be a decimal number from 0.1 to 50 (unit mm); got text \"2\""),
                problems(values("sigma", "2", "iterations", 1), RawSource.JSON));
        assertEquals(List.of("parameter 'border' must be one of reflect, nearest; got 1"),
                problems(values("border", 1, "iterations", 1), RawSource.JSON));
        assertEquals(List.of("parameter 'sigma' must be a decimal number from 0.1 to 50 (unit mm); got null (leave a "
                + "parameter out to use its default)"), problems(values("sigma", null, "iterations", 1),
                        RawSource.JSON));
        assertEquals(List.of("parameter 'iterations' must be a whole number from 1 to 10; got "
                + "1000000000000000000000000000000"), problems(values("iterations",
                        new BigInteger("1000000000000000000000000000000")), RawSource.JSON));
    }

    @Test
    void aRequiredParameterLeftOutIsNamedWithWhatItTakes() {
        assertEquals(List.of("parameter 'iterations' is required: a whole number from 1 to 10"),
                problems(Map.of(), RawSource.JSON));
    }

    @Test
    void consoleTextIsReadAsTheParametersType() {
        Parameters parameters = ParameterValidator.validate(FILTER, values("sigma", "1.5", "iterations", "7",
                "invert", "TRUE", "border", "nearest", "label", "after blur"), RawSource.TEXT);

        assertEquals(1.5, parameters.decimal("sigma"));
        assertEquals(7, parameters.integer("iterations"));
        assertEquals(true, parameters.flag("invert"));
        assertEquals("nearest", parameters.text("border"));
        assertEquals("after blur", parameters.text("label"));
        assertEquals(List.of("parameter 'sigma' must be a decimal number from 0.1 to 50 (unit mm); got text "
                + "\"NaN\""), problems(values("sigma", "NaN", "iterations", "1"), RawSource.TEXT));
    }

    @Test
    void textLongerThanTheLimitIsRefused() {
        assertEquals(List.of("parameter 'label' must be text of at most 4096 characters; got text \""
                + "x".repeat(40) + "...\""), problems(values("iterations", 1, "label", "x".repeat(5000)),
                        RawSource.JSON));
    }

    @Test
    void aPluginDefaultItsOwnSchemaRefusesIsReportedAsAPluginDefect() {
        PluginDescriptor broken = new PluginDescriptor("imaging.broken", "1.0.0", null, null, null, null, List.of(
                ParameterSpec.decimal("sigma", "", "", 1.0, 2.0, 5.0)));

        PluginCrashedException e = assertThrows(PluginCrashedException.class,
                () -> ParameterValidator.validate(broken, Map.of(), RawSource.JSON));

        assertEquals("imaging.broken 1.0.0 declares a default its own schema refuses: parameter 'sigma' must be a "
                + "decimal number from 1 to 2; got 5", e.getMessage());
    }

    @Test
    void modelInputsBecomeNumbers() {
        PluginDescriptor model = new PluginDescriptor("prediction.test", "1.0.0", null, null, null, null, List.of(
                new ParameterSpec("age", ParameterType.DECIMAL, "age", "a", "http://loinc.org|30525-0", 18.0,
                        100.0, null, List.of()),
                new ParameterSpec("smoker", ParameterType.BOOLEAN, "", "", "", null, null, null, List.of()),
                new ParameterSpec("stage", ParameterType.CHOICE, "", "", "", null, null, "1", List.of("1", "2", "3")),
                new ParameterSpec("note", ParameterType.TEXT, "", "", "", null, null, null, List.of())));

        assertEquals(Map.of("age", 63.0, "smoker", 1.0, "stage", 3.0), ParameterValidator.explicitInputs(model,
                values("age", 63, "smoker", true, "stage", "3"), RawSource.JSON));
        assertEquals(Map.of(), ParameterValidator.explicitInputs(model, null, RawSource.JSON));
        assertEquals(List.of("input 'age' must be a decimal number from 18 to 100 (unit a); got 7",
                "input 'note' is text 'x', which a model cannot take: model inputs are numbers"),
                assertThrows(InvalidParametersException.class, () -> ParameterValidator.explicitInputs(model,
                        values("age", 7, "note", "x"), RawSource.JSON)).problems());
        assertEquals(Optional.of(1.0), ParameterValidator.modelDefault(model, model.parameters().get(2)));
        assertEquals(Optional.empty(), ParameterValidator.modelValueProblem(model.parameters().get(1), 0));
        assertEquals(Optional.of("input 'smoker' must be true or false; got 2"),
                ParameterValidator.modelValueProblem(model.parameters().get(1), 2));
        assertEquals(Optional.of("input 'stage' must be one of 1, 2, 3; got text \"4\""),
                ParameterValidator.modelValueProblem(model.parameters().get(2), 4));
    }
}
