package org.panacea.engine.internal.imaging;

import java.util.NoSuchElementException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.engine.internal.EngineUnavailableException;
import org.panacea.engine.internal.PluginKind;
import org.panacea.engine.internal.audit.AuditDetails;
import org.panacea.engine.internal.audit.Digests;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.PluginLease;
import org.panacea.engine.internal.run.PluginCrashedException;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.PluginRuns;

/**
 * Runs an imaging algorithm on an archived image, for a caller: checks the access policy first, finds the plugin
 * (waiting for a replacement during a swap), validates the parameters against its schema, loads the frame from the
 * {@link ImageArchive}, runs the plugin through the {@link PluginRunner}, stores the output image as a derived DICOM
 * instance (a Segmentation or a Parametric Map naming plugin id, version, parameters, source frame, and carrying the
 * measurements and findings) and audits the run with the digests of input and output. Thread-safe. The engine does
 * not know the plugin bundle's SHA-256, so the derivation leaves it empty.
 * <p>
 * The archive is an optional, dynamic reference: the catalogue and the console work without it, and runs say
 * plainly that it is not running.
 * <p>
 * Besides the failures of every run ({@link PluginRuns#run}): {@link InputNotFoundException} when the instance or
 * frame is not in the archive, {@link EngineUnavailableException} when the archive is not running or the engine stops,
 * {@link IllegalArgumentException} for a missing instance or a negative frame.
 */
@Component(service = AlgorithmRuns.class)
public class AlgorithmRuns extends PluginRuns<ImagingAlgorithm, PluginDescriptor, AlgorithmRequest, AlgorithmRun> {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ImageArchive archive;

    @Activate
    public AlgorithmRuns(@Reference PluginDirectory directory, @Reference PluginRunner runner,
            @Reference AccessPolicy policy, @Reference AuditTrail trail) {
        this(directory, runner, policy, trail, null);
    }

    /** Runs on a fixed archive, outside DS ({@code null}: none yet). */
    public AlgorithmRuns(PluginDirectory directory, PluginRunner runner, AccessPolicy policy, AuditTrail trail,
            ImageArchive archive) {
        super(PluginKind.IMAGING_ALGORITHM, directory.algorithms(), runner, policy, trail);
        this.archive = archive;
    }

    @Override
    protected AuditDetails details(AlgorithmRequest request) {
        return new AuditDetails().put("plugin", request.algorithmId()).put("instance", request.instanceUid())
                .put("frame", request.frame());
    }

    @Override
    protected Run<ImagingAlgorithm, PluginDescriptor, ?, AlgorithmRun> start(Caller caller, AlgorithmRequest request,
            AuditDetails details) {
        String uid = request.instanceUid();
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("instance: give the SOP Instance UID of the image to run on");
        }
        if (request.frame() < 0) {
            throw new IllegalArgumentException("frame must be 0 or more (frames count from 0); got "
                    + request.frame());
        }
        ImageArchive images = archive;
        if (images == null) {
            throw new EngineUnavailableException("the image archive is not running, so no image can be loaded; "
                    + "try again when it is");
        }
        return new ImageRun(caller, request, details, images);
    }

    @Override
    protected boolean refusesInput(RuntimeException failure) {
        return failure instanceof InputNotFoundException;
    }

    /** One run: loads the frame, calls the algorithm, stores the output image. */
    private final class ImageRun implements Run<ImagingAlgorithm, PluginDescriptor, AlgorithmResult, AlgorithmRun> {

        private final Caller caller;
        private final AlgorithmRequest request;
        private final AuditDetails details;
        private final ImageArchive images;
        private Parameters parameters;
        private ArchivedInstance source;
        private String inputDigest;

        ImageRun(Caller caller, AlgorithmRequest request, AuditDetails details, ImageArchive images) {
            this.caller = caller;
            this.request = request;
            this.details = details;
            this.images = images;
        }

        @Override
        public Call<AlgorithmResult> prepare(PluginLease<ImagingAlgorithm, PluginDescriptor> lease) {
            String uid = request.instanceUid();
            Parameters validated = ParameterValidator.validate(lease.plugin(), request.parameters(),
                    request.source());
            parameters = validated;
            details.put("parameters", AuditDetails.values(validated.values()));
            source = describe(images, caller, uid);
            details.patient(source.patientId());
            Image input = load(images, caller, uid, request.frame());
            inputDigest = Digests.pixels(input.pixels());
            details.put("input.sha256", inputDigest);
            long workingBytes = runner().limits().memoryFactor() * Digests.pixelBytes(input.pixels());
            ImagingAlgorithm algorithm = lease.service();
            return new Call<>(workingBytes, () -> algorithm.apply(input, validated));
        }

        @Override
        public AlgorithmRun finish(PluginLease<ImagingAlgorithm, PluginDescriptor> lease,
                PluginRunner.Completed<AlgorithmResult> completed) {
            PluginDescriptor plugin = lease.plugin();
            String uid = request.instanceUid();
            AlgorithmResult result = completed.value();
            details.put("duration.ms", completed.runTime().toMillis());
            String outputDigest = null;
            ArchivedInstance derived = null;
            if (result.image() != null) {
                outputDigest = Digests.pixels(result.image().pixels());
                details.put("output.sha256", outputDigest);
                derived = storeDerived(images, caller, uid, result.image(), new Derivation(plugin.id(),
                        plugin.version(), plugin.name(), AuditDetails.values(parameters.values()), "",
                        request.frame(), result.measurements(), result.findings()), lease.name());
                details.put("derived", derived.sopInstanceUid());
            }
            details.put("measurements", result.measurements().size()).put("findings", result.findings().size());
            return new AlgorithmRun(plugin, uid, request.frame(), source.patientId(), derived, result.measurements(),
                    result.findings(), parameters, inputDigest, outputDigest, completed.runTime(), lease.waited());
        }
    }

    /** What a derived instance says made it: {@code imaging.gaussian-blur 1.1.0: border=reflect, sigma=2}. */
    static String derivation(PluginDescriptor plugin, Parameters parameters) {
        String values = AuditDetails.values(parameters.values());
        return plugin.id() + " " + plugin.version() + (values.isEmpty() ? "" : ": " + values);
    }

    private static ArchivedInstance describe(ImageArchive images, Caller caller, String uid) {
        try {
            ArchivedInstance instance = images.describe(caller, uid);
            if (instance == null) {
                throw new InputNotFoundException("no image instance " + uid + " in the archive");
            }
            return instance;
        } catch (ResourceNotFoundException | NoSuchElementException | IllegalArgumentException e) {
            throw new InputNotFoundException("no image instance " + uid + " in the archive: " + e.getMessage());
        }
    }

    private static Image load(ImageArchive images, Caller caller, String uid, int frame) {
        try {
            return images.load(caller, uid, frame);
        } catch (ResourceNotFoundException | NoSuchElementException | IllegalArgumentException e) {
            throw new InputNotFoundException("cannot load frame " + frame + " of " + uid + ": " + e.getMessage());
        }
    }

    private static ArchivedInstance storeDerived(ImageArchive images, Caller caller, String uid, Image output,
            Derivation derivation, String plugin) {
        try {
            return images.storeDerived(caller, uid, output, derivation);
        } catch (InvalidImageException | IllegalArgumentException e) {
            throw new PluginCrashedException(plugin + " returned an image the archive cannot store: "
                    + e.getMessage());
        }
    }
}
