package org.panacea.engine.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.fakes.InMemoryArchive;
import org.panacea.engine.internal.imaging.AlgorithmRuns;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

import com.fasterxml.jackson.databind.JsonNode;

class AlgorithmServletTest {

    private static final String UID = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    private static final String JSON = "application/json";
    private static final Callers CALLERS = new Callers();
    private static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "10.0.0.5");

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final RolePolicy policy = new RolePolicy(CALLERS, trail);
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofMillis(100),
            Duration.ofSeconds(5)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 1, Duration.ZERO, 4),
            MemoryGuard.ofRuntime());
    private final InMemoryArchive archive = new InMemoryArchive();
    private final AlgorithmServlet servlet = new AlgorithmServlet(new AlgorithmRuns(directory, runner, policy, trail,
            archive));

    AlgorithmServletTest() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/ct_small/input_int16_le.raw")) {
            short[] samples = new short[128 * 128];
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            archive.add(UID, "p-17", new Image(128, 128, new Pixels.Gray16(samples, true),
                    new ImageMetadata("CT", 0.66, 0.66, 1, -1024, "HU", 40, 400, 16, "")));
        }
        register(new FakeAlgorithm("imaging.fake-blur", "1.1.0", List.of(
                ParameterSpec.decimal("sigma", "standard deviation, in pixels", "", 0.1, 50.0, 2.0),
                ParameterSpec.choice("border", "border mode", "reflect", List.of("reflect", "nearest"))),
                (image, parameters) -> new AlgorithmResult(new Image(image.width(), image.height(),
                        FakeAlgorithm.doubled(image.pixels()), image.metadata()), List.of(new Measurement("sigma",
                                parameters.decimal("sigma"), "")), List.of())));
    }

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    private void register(FakeAlgorithm algorithm) {
        directory.algorithms().add(algorithm, algorithm.properties());
    }

    private HttpExchange post(String path, String body) throws Exception {
        return HttpExchange.send(servlet, CLINICIAN, "POST", path, JSON, body);
    }

    @Test
    void theCatalogueListsEachAlgorithmWithItsParameterSchema() throws Exception {
        HttpExchange exchange = HttpExchange.send(servlet, CLINICIAN, "GET", null, null, null);

        assertEquals(200, exchange.status());
        JsonNode blur = exchange.json().path(0);
        assertEquals("imaging.fake-blur", blur.path("id").asText());
        assertEquals("1.1.0", blur.path("version").asText());
        assertEquals("Test vendor", blur.path("vendor").asText());
        assertEquals("tests only", blur.path("intendedUse").asText());
        JsonNode sigma = blur.path("parameters").path(0);
        assertEquals("sigma", sigma.path("name").asText());
        assertEquals("decimal", sigma.path("type").asText());
        assertEquals(0.1, sigma.path("minimum").asDouble());
        assertEquals(50.0, sigma.path("maximum").asDouble());
        assertEquals(2.0, sigma.path("default").asDouble());
        assertFalse(sigma.path("required").asBoolean());
        assertEquals("a decimal number from 0.1 to 50", sigma.path("accepts").asText());
        assertEquals("[\"reflect\",\"nearest\"]", blur.path("parameters").path(1).path("choices").toString());

        assertEquals(404, HttpExchange.send(servlet, CLINICIAN, "GET", "/imaging.none", null, null).status());
        assertEquals(1, HttpExchange.send(servlet, CLINICIAN, "GET", "/imaging.fake-blur", null, null).json()
                .size());
    }

    @Test
    void aRunAnswersWithTheDerivedInstanceMeasurementsVersionAndDigests() throws Exception {
        HttpExchange exchange = post("/imaging.fake-blur/$run", "{\"instance\": \"" + UID + "\", \"frame\": 0, "
                + "\"version\": \"[1.0,2.0)\", \"parameters\": {\"sigma\": 1.5}, \"timeoutSeconds\": 5}");

        assertEquals(200, exchange.status(), exchange.text());
        JsonNode run = exchange.json();
        assertEquals("1.1.0", run.path("algorithm").path("version").asText());
        assertEquals("2.25.1", run.path("derivedInstance").path("sopInstanceUid").asText());
        assertEquals(UID, run.path("derivedInstance").path("derivedFrom").asText());
        assertEquals(1.5, run.path("measurements").path(0).path("value").asDouble());
        assertEquals("7a481f6ffff833aef4d8bd54819bd8f472aaa7232090208e056c90eacf079926",
                run.path("digests").path("input").asText(), "sha256sum of CT_small's stored pixels");
        assertEquals(64, run.path("digests").path("output").asText().length());
        assertTrue(run.path("durationMillis").isNumber());
        assertEquals("imaging.fake-blur 1.1.0: border=reflect, sigma=1.5", archive.derived().get(0).derivation());
    }

    @Test
    void badRequestsAre400WithTheReason() throws Exception {
        HttpExchange malformed = post("/imaging.fake-blur/$run", "{\"instance\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.diagnostics().startsWith("the body is not valid JSON: "), malformed.diagnostics());

        HttpExchange unknownField = post("/imaging.fake-blur/$run", "{\"instance\": \"1.2\", \"sigma\": 2}");
        assertEquals(400, unknownField.status());
        assertTrue(unknownField.diagnostics().startsWith("unknown field 'sigma'; the body takes "),
                unknownField.diagnostics());

        HttpExchange noInstance = post("/imaging.fake-blur/$run", "{\"frame\": 0}");
        assertEquals("instance is required: the SOP Instance UID of the image to run on", noInstance.diagnostics());

        HttpExchange badFrame = post("/imaging.fake-blur/$run", "{\"instance\": \"1.2\", \"frame\": 0.5}");
        assertEquals("frame must be a whole number: the frame to run on, from 0; got 0.5", badFrame.diagnostics());

        HttpExchange parameters = post("/imaging.fake-blur/$run", "{\"instance\": \"" + UID + "\", "
                + "\"parameters\": {\"sigma\": \"wide\", \"border\": \"mirror\"}}");
        assertEquals(400, parameters.status());
        assertEquals(List.of("parameter 'sigma' must be a decimal number from 0.1 to 50; got text \"wide\"",
                "parameter 'border' must be one of reflect, nearest; got text \"mirror\""), List.of(
                        parameters.json().path("issue").path(0).path("diagnostics").asText(),
                        parameters.json().path("issue").path(1).path("diagnostics").asText()));

        HttpExchange range = post("/imaging.fake-blur/$run", "{\"instance\": \"" + UID + "\", \"version\": \"2.x\"}");
        assertEquals(400, range.status());

        assertEquals(415, HttpExchange.send(servlet, CLINICIAN, "POST", "/imaging.fake-blur/$run", "text/plain",
                "instance=1").status());
        assertEquals(405, HttpExchange.send(servlet, CLINICIAN, "GET", "/imaging.fake-blur/$run", null, null)
                .status());
        assertEquals(404, HttpExchange.send(servlet, CLINICIAN, "GET", "/a/b/c", null, null).status());
    }

    @Test
    void statusCodesSayWhatTheClientCanDo() throws Exception {
        register(new FakeAlgorithm("imaging.fake-picky", "1.0.0", List.of(), (image, parameters) -> {
            throw new AlgorithmException("needs an 8-bit image");
        }));
        register(new FakeAlgorithm("imaging.fake-broken", "1.0.0", List.of(), (image, parameters) -> {
            throw new ArrayIndexOutOfBoundsException("Index 16384 out of bounds for length 16384");
        }));
        register(new FakeAlgorithm("imaging.fake-slow", "1.0.0", List.of(), (image, parameters) -> {
            Thread.sleep(5_000);
            return null;
        }));
        String body = "{\"instance\": \"" + UID + "\"}";

        HttpExchange unknown = post("/imaging.none/$run", body);
        assertEquals(404, unknown.status());
        assertEquals("no imaging algorithm 'imaging.none' is installed; installed: imaging.fake-blur, "
                + "imaging.fake-broken, imaging.fake-picky, imaging.fake-slow", unknown.diagnostics());

        assertEquals(404, post("/imaging.fake-blur/$run", "{\"instance\": \"9.9\"}").status());

        HttpExchange refused = post("/imaging.fake-picky/$run", body);
        assertEquals(422, refused.status());
        assertEquals("imaging algorithm imaging.fake-picky 1.0.0 refused the input: needs an 8-bit image",
                refused.diagnostics());

        HttpExchange crashed = post("/imaging.fake-broken/$run", body);
        assertEquals(500, crashed.status());
        assertEquals("imaging algorithm imaging.fake-broken 1.0.0 failed: ArrayIndexOutOfBoundsException: Index "
                + "16384 out of bounds for length 16384", crashed.diagnostics());
        assertFalse(crashed.text().contains("\tat "), "no stack trace");

        HttpExchange late = post("/imaging.fake-slow/$run", "{\"instance\": \"" + UID + "\", \"timeoutSeconds\": 1}");
        assertEquals(504, late.status());
        assertEquals("imaging algorithm imaging.fake-slow 1.0.0 did not finish within its time limit of 1 s and was "
                + "interrupted", late.diagnostics());

        policy.deny(Operation.RUN_ALGORITHM);
        assertEquals(403, post("/imaging.fake-blur/$run", body).status());
        assertEquals(403, post("/imaging.fake-blur/$run", "{\"instance\": ").status(),
                "the access policy is asked before the body is read");
    }

    @Test
    void aSaturatedEngineAnswers503WithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        register(new FakeAlgorithm("imaging.fake-hold", "1.0.0", List.of(), (image, parameters) -> {
            release.await(10, TimeUnit.SECONDS);
            return AlgorithmResult.of(null);
        }));
        String body = "{\"instance\": \"" + UID + "\"}";
        CompletableFuture<HttpExchange> holding = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/imaging.fake-hold/$run", body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);

        HttpExchange busy = post("/imaging.fake-blur/$run", body);

        assertEquals(503, busy.status());
        assertEquals("1", busy.header("Retry-After"));
        assertTrue(busy.diagnostics().startsWith("the engine is at its limit of 1 concurrent runs"),
                busy.diagnostics());
        release.countDown();
        HttpExchange held = holding.get(5, TimeUnit.SECONDS);
        assertEquals(200, held.status(), held.text());
        assertTrue(held.json().path("derivedInstance").isNull(), "an algorithm that only measures stores nothing");
    }

    @Test
    void wrongMethodsAndPathsSayWhatTheEndpointsAre() throws Exception {
        HttpExchange catalogue = HttpExchange.send(servlet, CLINICIAN, "DELETE", "/", null, null);
        assertEquals(405, catalogue.status());
        assertEquals("GET", catalogue.header("Allow"));
        assertEquals("DELETE is not supported here; use GET", catalogue.diagnostics());

        HttpExchange notAnAlgorithm = post("/imaging.fake-blur", "{}");
        assertEquals(405, notAnAlgorithm.status());
        assertEquals("GET", notAnAlgorithm.header("Allow"));
        assertEquals("POST is not supported here; use GET (POST to /api/algorithms/imaging.fake-blur/$run runs it)",
                notAnAlgorithm.diagnostics());

        HttpExchange predict = post("/imaging.fake-blur/$predict", "{}");
        assertEquals(404, predict.status());
        assertEquals("no endpoint at /api/algorithms/imaging.fake-blur/$predict: use GET /api/algorithms, "
                + "GET /api/algorithms/{id} or POST /api/algorithms/{id}/$run", predict.diagnostics());

        HttpExchange unknown = HttpExchange.send(servlet, CLINICIAN, "GET", "/imaging.none", null, null);
        assertEquals("no imaging algorithm 'imaging.none' is installed; GET /api/algorithms lists those that are",
                unknown.diagnostics());
    }
}
