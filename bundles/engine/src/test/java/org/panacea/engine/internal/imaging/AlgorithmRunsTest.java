package org.panacea.engine.internal.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.engine.fakes.FakeAlgorithm;
import org.panacea.engine.internal.EngineUnavailableException;
import org.panacea.engine.internal.parameters.InvalidParametersException;
import org.panacea.engine.internal.parameters.RawSource;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.PluginNotFoundException;
import org.panacea.engine.internal.registry.SwapTimings;
import org.panacea.engine.internal.run.MemoryGuard;
import org.panacea.engine.internal.run.PluginCrashedException;
import org.panacea.engine.internal.run.PluginRefusedException;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.PluginTimeoutException;
import org.panacea.engine.internal.run.RunLimits;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

class AlgorithmRunsTest {

    static final String CT_UID = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    /** {@code sha256sum input_int16_le.raw}, see src/test/resources/ct_small/README.md. */
    static final String CT_SMALL_SHA256 = "7a481f6ffff833aef4d8bd54819bd8f472aaa7232090208e056c90eacf079926";
    static final Callers CALLERS = new Callers();
    static final Caller CLINICIAN = CALLERS.user("clinician", Role.CLINICIAN, "10.0.0.5");
    static final ImageMetadata CT = new ImageMetadata("CT", 0.66, 0.66, 1, -1024, "HU", 40, 400, 16, "");

    private final RecordingAuditTrail trail = new RecordingAuditTrail();
    private final RolePolicy policy = new RolePolicy(CALLERS, trail);
    private final PluginDirectory directory = new PluginDirectory(new SwapTimings(Duration.ofMillis(200),
            Duration.ofSeconds(5)));
    private final PluginRunner runner = new PluginRunner(new RunLimits(Duration.ofSeconds(10), 4, Duration.ZERO, 4),
            MemoryGuard.ofRuntime());
    private final ImageArchive archive = mock(ImageArchive.class);
    private final AlgorithmRuns runs = new AlgorithmRuns(directory, runner, policy, trail, archive);

    @AfterEach
    void shutdown() {
        runner.shutdown();
    }

    static Image ctSmall() throws IOException {
        try (InputStream in = AlgorithmRunsTest.class.getResourceAsStream("/ct_small/input_int16_le.raw")) {
            short[] samples = new short[128 * 128];
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            return new Image(128, 128, new Pixels.Gray16(samples, true), CT);
        }
    }

    /** SHA-256 of the output's floats written one by one, the plain way, as an independent check of the digest. */
    static String sha256OfFloats(float[] values) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    private void register(FakeAlgorithm algorithm) {
        directory.algorithms().add(algorithm, algorithm.properties());
    }

    private void archiveHolds(String uid, String patientId, Image image) {
        when(archive.describe(any(), eq(uid))).thenReturn(new ArchivedInstance(patientId, "study-1", "1.2.3",
                "1.2.3.4", uid, "CT", image.width(), image.height(), 1, ""));
        when(archive.load(any(), eq(uid), eq(0))).thenReturn(image);
        when(archive.storeDerived(any(), eq(uid), any(), any(Derivation.class))).thenAnswer(call -> {
            Image output = call.getArgument(2);
            return new ArchivedInstance(patientId, "study-1", "1.2.3", "1.2.3.9", "2.25.77", "OT", output.width(),
                    output.height(), 1, uid);
        });
    }

    private static AlgorithmRequest request(String id, Map<String, ?> parameters) {
        return new AlgorithmRequest(id, null, CT_UID, 0, parameters, RawSource.JSON, null);
    }

    private static FakeAlgorithm blur(FakeAlgorithm.Behaviour behaviour) {
        return new FakeAlgorithm("imaging.fake-blur", "1.0.0", List.of(
                ParameterSpec.decimal("sigma", "standard deviation in pixels", "", 0.1, 50.0, 2.0),
                ParameterSpec.choice("border", "border mode", "reflect", List.of("reflect", "nearest"))), behaviour);
    }

    @Test
    void aRunOnCtSmallStoresTheOutputAndAuditsBothDigests() throws Exception {
        Image input = ctSmall();
        archiveHolds(CT_UID, "p-17", input);
        AtomicReference<Image> seen = new AtomicReference<>();
        register(blur((image, parameters) -> {
            seen.set(image);
            return new AlgorithmResult(new Image(image.width(), image.height(), FakeAlgorithm.doubled(image.pixels()),
                    image.metadata()), List.of(new Measurement("sigma", parameters.decimal("sigma"), "")),
                    List.of(new Finding("brightest", List.of(new Measurement("value", 2191, "")))));
        }));

        AlgorithmRun run = runs.run(CLINICIAN, request("imaging.fake-blur", Map.of("sigma", 2)));

        assertSame(input, seen.get(), "the plugin gets the archive's image, not a copy");
        assertEquals(CT_SMALL_SHA256, run.inputDigest());
        ArgumentCaptor<Image> stored = ArgumentCaptor.forClass(Image.class);
        ArgumentCaptor<Derivation> derivation = ArgumentCaptor.forClass(Derivation.class);
        verify(archive).storeDerived(eq(CLINICIAN), eq(CT_UID), stored.capture(), derivation.capture());
        assertEquals("imaging.fake-blur 1.0.0: border=reflect, sigma=2", derivation.getValue().describe());
        assertEquals(0, derivation.getValue().sourceFrame());
        assertEquals("brightest", derivation.getValue().findings().get(0).label(),
                "the findings go with the derived instance");
        float[] output = ((Pixels.Float32) stored.getValue().pixels()).values();
        assertEquals(2 * 175, output[0], "sample (0,0) of CT_small is 175");
        assertSame(CT, stored.getValue().metadata(), "the source's metadata is kept");
        assertEquals(sha256OfFloats(output), run.outputDigest());
        assertEquals("2.25.77", run.derived().sopInstanceUid());
        assertEquals(List.of(new Measurement("sigma", 2, "")), run.measurements());
        assertEquals("brightest", run.findings().get(0).label());
        assertEquals("p-17", run.patientId());

        AuditEvent event = trail.single();
        assertEquals(new AuditEvent("clinician", "clinician", AuditAction.ALGORITHM_RUN, "imaging",
                "imaging.fake-blur", "p-17", AuditOutcome.SUCCESS, "10.0.0.5", event.details()), event);
        assertEquals("plugin=imaging.fake-blur; instance=" + CT_UID + "; frame=0; version=1.0.0; "
                + "parameters=border=reflect, sigma=2; input.sha256=" + CT_SMALL_SHA256 + "; duration.ms="
                + run.runTime().toMillis() + "; output.sha256=" + run.outputDigest() + "; derived=2.25.77; "
                + "measurements=1; findings=1", event.details());
    }

    /** A model-only plugin's service names its model file's SHA-256: the run's audit entry says which weights ran. */
    @Test
    void aRunOfAModelFileIsAuditedWithTheFilesSha256() throws Exception {
        Image input = ctSmall();
        archiveHolds(CT_UID, "p-17", input);
        FakeAlgorithm model = FakeAlgorithm.doubling("onnx.fake-net", "1.0.0");
        Map<String, Object> properties = model.properties();
        String sha256 = "3bfd1aa0cd8c9a8ccd9ae0b4b426434f7f2c7b96f50b2f0be93f1c2f28c0f5ef";
        properties.put(PluginHeaders.SERVICE_MODEL_SHA256, sha256);
        directory.algorithms().add(model, properties);

        runs.run(CLINICIAN, request("onnx.fake-net", Map.of()));

        assertTrue(trail.single().details().contains("; version=1.0.0; model.sha256=" + sha256 + ";"),
                trail.single().details());
    }

    @Test
    void everyPixelTypeAndTinyImagesRunWithTheirDigests() throws Exception {
        register(FakeAlgorithm.doubling("imaging.fake-double", "1.0.0"));
        List<Image> inputs = List.of(
                new Image(1, 1, new Pixels.Gray8(new byte[] {(byte) 200}), ImageMetadata.unknown(8)),
                new Image(7, 1, new Pixels.Gray16(new short[] {0, 1, -1, 32767, -32768, 4095, 12}, false),
                        ImageMetadata.unknown(16)),
                new Image(1, 5, new Pixels.Gray16(new short[] {-1024, -1, 0, 1, 3071}, true), CT),
                new Image(3, 2, new Pixels.Float32(new float[] {0.5f, -0.25f, 1e-7f, 3e8f, -0f, 7}),
                        ImageMetadata.unknown(32)));
        for (Image input : inputs) {
            archiveHolds(CT_UID, "p-1", input);

            AlgorithmRun run = runs.run(CLINICIAN, request("imaging.fake-double", Map.of()));

            float[] expected = FakeAlgorithm.doubled(input.pixels()).values();
            assertEquals(sha256OfFloats(expected), run.outputDigest(), input.pixels().getClass().getSimpleName());
            assertEquals(input.width(), run.derived().width());
            assertEquals(input.height(), run.derived().height());
        }
        assertEquals(4, trail.events().size());
        assertTrue(trail.events().stream().allMatch(e -> e.outcome() == AuditOutcome.SUCCESS));
    }

    @Test
    void theAccessPolicyIsAskedFirst() {
        policy.deny(Operation.RUN_ALGORITHM);
        FakeAlgorithm algorithm = FakeAlgorithm.doubling("imaging.fake-double", "1.0.0");
        register(algorithm);

        assertThrows(AccessDeniedException.class, () -> runs.run(CLINICIAN, request("imaging.fake-double",
                Map.of())));

        verifyNoInteractions(archive);
        assertEquals(0, algorithm.calls());
        assertEquals(AuditAction.ACCESS_DENIED, trail.single().action(), "the policy's own entry, and no run entry");
    }

    @Test
    void aRefusedInputIsAuditedAsAFailureAndNothingIsStored() throws Exception {
        archiveHolds(CT_UID, "p-17", ctSmall());
        register(blur((image, parameters) -> {
            throw new AlgorithmException("this algorithm needs an 8-bit image");
        }));

        PluginRefusedException e = assertThrows(PluginRefusedException.class, () -> runs.run(CLINICIAN,
                request("imaging.fake-blur", Map.of())));

        assertEquals("imaging algorithm imaging.fake-blur 1.0.0 refused the input: this algorithm needs an 8-bit "
                + "image", e.getMessage());
        verify(archive, never()).storeDerived(any(), any(), any(), any(Derivation.class));
        AuditEvent event = trail.single();
        assertEquals(AuditOutcome.FAILURE, event.outcome());
        assertEquals("p-17", event.patientId());
        assertTrue(event.details().contains("input.sha256=" + CT_SMALL_SHA256), event.details());
        assertTrue(event.details().endsWith("; error=" + e.getMessage()), event.details());
    }

    @Test
    void aCrashAndATimeOutAreAuditedAsErrors() throws Exception {
        archiveHolds(CT_UID, "p-17", ctSmall());
        register(blur((image, parameters) -> {
            throw new NullPointerException("kernel");
        }));
        register(new FakeAlgorithm("imaging.fake-slow", "1.0.0", List.of(), (image, parameters) -> {
            Thread.sleep(10_000);
            return null;
        }));

        assertEquals("imaging algorithm imaging.fake-blur 1.0.0 failed: NullPointerException: kernel",
                assertThrows(PluginCrashedException.class, () -> runs.run(CLINICIAN, request("imaging.fake-blur",
                        Map.of()))).getMessage());
        assertThrows(PluginTimeoutException.class, () -> runs.run(CLINICIAN, new AlgorithmRequest(
                "imaging.fake-slow", null, CT_UID, 0, Map.of(), RawSource.JSON, 1)));

        assertEquals(List.of(AuditOutcome.ERROR, AuditOutcome.ERROR), trail.events().stream()
                .map(AuditEvent::outcome).toList());
        verify(archive, never()).storeDerived(any(), any(), any(), any(Derivation.class));
    }

    @Test
    void badParametersAreRefusedBeforeTheImageIsLoaded() {
        register(blur((image, parameters) -> null));

        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> runs.run(CLINICIAN,
                request("imaging.fake-blur", Map.of("sigma", 0, "radius", 3))));

        assertEquals(List.of("unknown parameter 'radius': imaging.fake-blur takes sigma, border",
                "parameter 'sigma' must be a decimal number from 0.1 to 50; got 0"), e.problems());
        verify(archive, never()).load(any(), anyString(), anyInt());
        assertEquals(AuditOutcome.FAILURE, trail.single().outcome());
    }

    @Test
    void anUnknownInstanceOrFrameIsNotFound() throws Exception {
        register(FakeAlgorithm.doubling("imaging.fake-double", "1.0.0"));
        when(archive.describe(any(), eq("9.9.9"))).thenThrow(new ResourceNotFoundException("ImagingStudy",
                "instance 9.9.9"));
        archiveHolds(CT_UID, "p-17", ctSmall());
        when(archive.load(any(), eq(CT_UID), eq(3))).thenThrow(new IllegalArgumentException(CT_UID
                + " has 1 frame"));

        assertEquals("no image instance 9.9.9 in the archive: ImagingStudy/instance 9.9.9 does not exist",
                assertThrows(InputNotFoundException.class, () -> runs.run(CLINICIAN, new AlgorithmRequest(
                        "imaging.fake-double", null, "9.9.9", 0, Map.of(), RawSource.JSON, null))).getMessage());
        assertEquals("cannot load frame 3 of " + CT_UID + ": " + CT_UID + " has 1 frame",
                assertThrows(InputNotFoundException.class, () -> runs.run(CLINICIAN, new AlgorithmRequest(
                        "imaging.fake-double", null, CT_UID, 3, Map.of(), RawSource.JSON, null))).getMessage());
    }

    @Test
    void malformedRequestsAreRefusedNamingTheField() {
        register(FakeAlgorithm.doubling("imaging.fake-double", "1.0.0"));

        assertEquals("timeoutSeconds must be from 1 to 10 (the engine's limit); got 11",
                assertThrows(IllegalArgumentException.class, () -> runs.run(CLINICIAN, new AlgorithmRequest(
                        "imaging.fake-double", null, CT_UID, 0, Map.of(), RawSource.JSON, 11))).getMessage());
        assertEquals("frame must be 0 or more (frames count from 0); got -1",
                assertThrows(IllegalArgumentException.class, () -> runs.run(CLINICIAN, new AlgorithmRequest(
                        "imaging.fake-double", null, CT_UID, -1, Map.of(), RawSource.JSON, null))).getMessage());
        assertThrows(PluginNotFoundException.class, () -> runs.run(CLINICIAN, request("imaging.unknown",
                Map.of())));
    }

    @Test
    void withoutTheArchiveRunsSaySoPlainly() {
        runs.archive = null;
        register(FakeAlgorithm.doubling("imaging.fake-double", "1.0.0"));

        assertEquals("the image archive is not running, so no image can be loaded; try again when it is",
                assertThrows(EngineUnavailableException.class, () -> runs.run(CLINICIAN,
                        request("imaging.fake-double", Map.of()))).getMessage());
        assertEquals(List.of("imaging.fake-double"), runs.catalogue().stream().map(d -> d.id()).toList());
    }

    @Test
    void aSuccessThatCannotBeAuditedIsNotReportedAsOne() throws Exception {
        archiveHolds(CT_UID, "p-17", ctSmall());
        register(FakeAlgorithm.doubling("imaging.fake-double", "1.0.0"));
        trail.failing(true);

        assertThrows(AuditException.class, () -> runs.run(CLINICIAN, request("imaging.fake-double", Map.of())));
    }
}
