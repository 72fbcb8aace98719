package org.panacea.engine.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.ParameterType;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.fakes.FakeModel;
import org.panacea.engine.fakes.InMemoryArchive;
import org.panacea.engine.fakes.InMemoryRecords;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.prediction.ModelRuns;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

class CommandsTest {

    private static final String PATIENT = "7353e17f-0cd5-5b0a-c736-92b9ca5f8366";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);
    private static final Callers CALLERS = new Callers().consoleOnly();
    private static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "console");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Session.class}, (proxy, method, arguments) -> {
                if (method.getName().equals("getConsole")) {
                    return console;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    /** The console's user is the clinician; the commands may not ask for a caller of their own. */
    private final Callers authentication = CALLERS;

    {
        authentication.logIn(CLINICIAN);
    }

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofMillis(100),
            Duration.ofSeconds(5)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 2, Duration.ZERO, 4),
            MemoryGuard.ofRuntime());
    private final InMemoryArchive archive = new InMemoryArchive();
    private final AlgorithmRuns algorithmRuns = new AlgorithmRuns(directory, runner, new RolePolicy(CALLERS, trail), trail,
            archive);
    private final ModelRuns modelRuns = new ModelRuns(directory, runner, new RolePolicy(CALLERS, trail),
            InMemoryRecords.fromBundle("/fhir/synthea-lavern-subset.json", CLOCK), trail, CLOCK);

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    private List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }

    private void registerBlur() {
        FakeAlgorithm blur = new FakeAlgorithm("imaging.fake-blur", "1.1.0", List.of(
                ParameterSpec.decimal("sigma", "standard deviation, in pixels", "", 0.1, 50.0, 2.0),
                ParameterSpec.choice("border", "border mode", "reflect", List.of("reflect", "nearest"))),
                (image, parameters) -> new AlgorithmResult(new Image(image.width(), image.height(),
                        FakeAlgorithm.doubled(image.pixels()), image.metadata()), List.of(new Measurement("sigma",
                                parameters.decimal("sigma"), "")), List.of(new Finding("blob", List.of(
                                        new Measurement("area", 12.5, "mm2"))))));
        directory.algorithms().add(blur, blur.properties());
        archive.add("1.2.3.4", "p-1", new Image(2, 2, new Pixels.Gray8(new byte[] {1, 2, 3, 4}),
                ImageMetadata.unknown(8)));
    }

    private RunCommand run(String algorithm, String instance, String... parameters) {
        RunCommand run = new RunCommand();
        run.runs = algorithmRuns;
        run.authentication = authentication;
        run.session = session;
        run.algorithm = algorithm;
        run.instance = instance;
        run.parameters = List.of(parameters);
        return run;
    }

    @Test
    void algorithmsListsEachWithItsParameters() {
        registerBlur();
        AlgorithmsCommand list = new AlgorithmsCommand();
        list.runs = algorithmRuns;
        list.session = session;

        list.execute();

        assertEquals(List.of(
                "imaging.fake-blur 1.1.0  Fake imaging.fake-blur (Test vendor)",
                "    intended use: tests only",
                "    sigma          a decimal number from 0.1 to 50, default 2.0",
                "                   standard deviation, in pixels",
                "    border         one of reflect, nearest, default reflect",
                "                   border mode"), lines());
    }

    @Test
    void algorithmsSaysSoWhenNoneIsInstalled() {
        AlgorithmsCommand list = new AlgorithmsCommand();
        list.runs = algorithmRuns;
        list.session = session;

        list.execute();

        assertEquals(List.of("No imaging algorithm is installed (feature:install panacea-imaging installs the "
                + "samples)"), lines());
    }

    @Test
    void runPrintsTheOutputImageMeasurementsFindingsAndDigests() {
        registerBlur();

        run("imaging.fake-blur", "1.2.3.4", "sigma=1.5", "border=nearest").execute();

        List<String> lines = lines();
        assertTrue(lines.get(0).startsWith("imaging.fake-blur 1.1.0 on 1.2.3.4 frame 0: "), lines.get(0));
        assertEquals(List.of("  parameters: border=nearest, sigma=1.5",
                "  output image: 2.25.1 (2x2, series 1.2.3.9)",
                "  measurements:", "    sigma = 1.5",
                "  findings:", "    blob", "      area = 12.5 mm2"), lines.subList(1, 8));
        // printf '\x01\x02\x03\x04' | sha256sum
        assertEquals("  input sha256:  9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a",
                lines.get(8));
        assertEquals("imaging.fake-blur 1.1.0: border=nearest, sigma=1.5", archive.derived().get(0).derivation());
        assertEquals(CLINICIAN.name(), trail.single().actor(), "audited as the console's user");
    }

    @Test
    void optionsMayFollowTheParametersAsTheCommandsUsageShows() {
        registerBlur();

        run("imaging.fake-blur", "1.2.3.4", "sigma=1.5", "--version", "[1.0,2.0)", "--frame=0").execute();
        run("imaging.fake-blur", "1.2.3.4", "--frame", "3").execute();
        run("imaging.fake-blur", "1.2.3.4", "--version", "[2.0,3.0)").execute();

        List<String> lines = lines();
        assertTrue(lines.get(0).startsWith("imaging.fake-blur 1.1.0 on 1.2.3.4 frame 0: "), lines.get(0));
        assertEquals(List.of("imaging:run imaging.fake-blur failed: cannot load frame 3 of 1.2.3.4: 1.2.3.4 has 1 "
                + "frame, no frame 3",
                "imaging:run imaging.fake-blur failed: no version of imaging algorithm 'imaging.fake-blur' in range "
                        + "[2.0.0,3.0.0) is installed; installed versions: 1.1.0"),
                lines.subList(lines.size() - 2, lines.size()));
    }

    @Test
    void runExplainsEveryProblemOnItsOwnLine() {
        registerBlur();

        run("imaging.fake-blur", "1.2.3.4", "sigma=80", "border=mirror").execute();
        run("imaging.fake-blur", "1.2.3.4", "sigma").execute();
        run("imaging.none", "1.2.3.4").execute();

        assertEquals(List.of("imaging:run imaging.fake-blur not run:",
                "  parameter 'sigma' must be a decimal number from 0.1 to 50; got 80",
                "  parameter 'border' must be one of reflect, nearest; got text \"mirror\"",
                "imaging:run imaging.fake-blur failed: 'sigma' is not name=value (e.g. sigma=2)",
                "imaging:run imaging.none failed: no imaging algorithm 'imaging.none' is installed; installed: "
                        + "imaging.fake-blur"), lines());
    }

    @Test
    void modelListAndPredictShowTheCardThePredictionAndItsSources() {
        FakeModel model = new FakeModel("prediction.fake-risk", "1.0.0", List.of(
                new ParameterSpec("age", ParameterType.DECIMAL, "age in years", "a", "http://loinc.org|30525-0",
                        18.0, 100.0, null, List.of()),
                new ParameterSpec("ph_ecog", ParameterType.INTEGER, "ECOG status", "", "http://loinc.org|89247-1",
                        0.0, 4.0, null, List.of())),
                input -> new Prediction("death within a year", 0.125, "probability", "low risk", List.of(
                        new Contribution("age", 27, 0.3, "age 27 vs mean 60")), List.of()));
        directory.models().add(model, model.properties());
        ModelListCommand list = new ModelListCommand();
        list.runs = modelRuns;
        list.session = session;
        PredictCommand predict = new PredictCommand();
        predict.runs = modelRuns;
        predict.authentication = authentication;
        predict.session = session;
        predict.model = "prediction.fake-risk";
        predict.patient = PATIENT;
        predict.inputs = List.of("ph_ecog=1");

        list.execute();
        predict.execute();

        List<String> lines = lines();
        assertEquals(List.of(
                "prediction.fake-risk 1.0.0  Fake model prediction.fake-risk (Test vendor)",
                "    intended use: tests only",
                "    trained on: synthetic test data, 100 rows",
                "    validation: auc 0.7500",
                "    inputs:",
                "    age            a decimal number from 18 to 100 (unit a), required, code http://loinc.org|30525-0",
                "                   age in years",
                "    ph_ecog        a whole number from 0 to 4, required, code http://loinc.org|89247-1",
                "                   ECOG status"), lines.subList(0, 9));
        assertTrue(lines.get(9).startsWith("prediction.fake-risk 1.0.0 for Patient/" + PATIENT
                + ": death within a year 0.125 probability ("), lines.get(9));
        assertEquals(List.of("  low risk", "  explanation:", "    age               +0.3000  age 27 vs mean 60",
                "  inputs:", "    age            27 a  (Patient.birthDate 1999-03-02 to today)",
                "    ph_ecog        1  (request)", "  stored as RiskAssessment/created-1"), lines.subList(10, 17));
    }
}
