package org.panacea.engine.internal.imaging;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.osgi.framework.VersionRange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.engine.internal.EngineUnavailableException;
import org.panacea.engine.internal.audit.AuditDetails;
import org.panacea.engine.internal.audit.Digests;
import org.panacea.engine.internal.audit.RunAudit;
import org.panacea.engine.internal.parameters.InvalidParametersException;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.PluginLease;
import org.panacea.engine.internal.registry.PluginNotFoundException;
import org.panacea.engine.internal.registry.VersionRanges;
import org.panacea.engine.internal.run.PluginCrashedException;
import org.panacea.engine.internal.run.PluginRefusedException;
import org.panacea.engine.internal.run.PluginRunner;

/**
 * Runs an imaging algorithm on an archived image, for a caller: checks the access policy first, finds the plugin
 * (waiting for a replacement during a swap), validates the parameters against its schema, loads the frame from the
 * {@link ImageArchive}, runs the plugin through the {@link PluginRunner}, stores the output image as a derived
 * instance (derivation: plugin id, version, parameters) and audits the run with the digests of input and output.
 * Measurements and findings are returned, not stored. Thread-safe.
 * <p>
 * The archive is an optional, dynamic reference: the catalogue and the console work without it, and runs say
 * plainly that it is not running.
 */
@Component(service = AlgorithmRuns.class)
public class AlgorithmRuns {

    /** The resource type the access policy is asked about for a run. */
    static final String RESOURCE_TYPE = "ImagingStudy";

    private final PluginDirectory directory;
    private final PluginRunner runner;
    private final AccessPolicy policy;
    private final RunAudit audit;

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
        this.directory = directory;
        this.runner = runner;
        this.policy = policy;
        this.audit = new RunAudit(trail);
        this.archive = archive;
    }

    /** Every registered algorithm, by id, the highest version first. */
    public List<PluginDescriptor> catalogue() {
        return directory.algorithms().available();
    }

    /**
     * Checks that {@code caller} may run algorithms at all, before a request is even read ({@link #run} checks again).
     *
     * @throws AccessDeniedException when not (audited by the policy)
     */
    public void requireAccess(Caller caller) {
        policy.require(caller, Operation.RUN_ALGORITHM, RESOURCE_TYPE);
    }

    /**
     * Runs one algorithm.
     *
     * @throws AccessDeniedException       when the caller may not run algorithms (audited by the policy)
     * @throws IllegalArgumentException    for a malformed request (version range, frame, time limit)
     * @throws PluginNotFoundException     when no version of the algorithm in range is installed
     * @throws InvalidParametersException  when the parameters do not fit the algorithm's schema
     * @throws InputNotFoundException      when the instance or frame is not in the archive
     * @throws PluginRefusedException      when the algorithm refuses the input
     * @throws EngineUnavailableException  when the archive is not running or the engine stops
     * @throws AuditException              when the run succeeded but could not be audited (reported as failed)
     * @throws RuntimeException            the runner's failures: saturation, memory, time-out, crash
     */
    public AlgorithmRun run(Caller caller, AlgorithmRequest request) {
        requireAccess(caller);
        AuditDetails details = new AuditDetails().put("plugin", request.algorithmId())
                .put("instance", request.instanceUid()).put("frame", request.frame());
        try {
            return run(caller, request, details);
        } catch (AccessDeniedException | AuditException e) {
            throw e;
        } catch (PluginRefusedException | InvalidParametersException | PluginNotFoundException
                | InputNotFoundException | IllegalArgumentException e) {
            audit.failure(caller, AuditAction.ALGORITHM_RUN, PluginHeaders.KIND_IMAGING, request.algorithmId(),
                    AuditOutcome.FAILURE, details, e);
            throw e;
        } catch (RuntimeException e) {
            audit.failure(caller, AuditAction.ALGORITHM_RUN, PluginHeaders.KIND_IMAGING, request.algorithmId(),
                    AuditOutcome.ERROR, details, e);
            throw e;
        }
    }

    private AlgorithmRun run(Caller caller, AlgorithmRequest request, AuditDetails details) {
        Duration timeLimit = runner.requestedLimit(request.timeoutSeconds());
        Optional<VersionRange> range = VersionRanges.parse(request.versionRange());
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
        PluginLease<ImagingAlgorithm, PluginDescriptor> lease = directory.algorithms().acquire(request.algorithmId(),
                range);
        boolean handedOver = false;
        try {
            PluginDescriptor plugin = lease.plugin();
            details.put("version", plugin.version());
            Parameters parameters = ParameterValidator.validate(plugin, request.parameters(), request.source());
            details.put("parameters", AuditDetails.values(parameters.values()));
            ArchivedInstance source = describe(images, caller, uid);
            details.patient(source.patientId());
            Image input = load(images, caller, uid, request.frame());
            String inputDigest = Digests.pixels(input.pixels());
            details.put("input.sha256", inputDigest);
            long workingBytes = runner.limits().memoryFactor() * Digests.pixelBytes(input.pixels());
            ImagingAlgorithm algorithm = lease.service();
            handedOver = true;
            PluginRunner.Completed<AlgorithmResult> completed = runner.run(lease.name(), timeLimit, workingBytes,
                    lease, () -> algorithm.apply(input, parameters));
            AlgorithmResult result = completed.value();
            if (result == null) {
                throw new PluginCrashedException(lease.name() + " returned no result");
            }
            details.put("duration.ms", completed.runTime().toMillis());
            String outputDigest = null;
            ArchivedInstance derived = null;
            if (result.image() != null) {
                outputDigest = Digests.pixels(result.image().pixels());
                details.put("output.sha256", outputDigest);
                derived = storeDerived(images, caller, uid, result.image(), derivation(plugin, parameters),
                        lease.name());
                details.put("derived", derived.sopInstanceUid());
            }
            details.put("measurements", result.measurements().size()).put("findings", result.findings().size());
            audit.success(caller, AuditAction.ALGORITHM_RUN, PluginHeaders.KIND_IMAGING, plugin.id(), details);
            return new AlgorithmRun(plugin, uid, request.frame(), source.patientId(), derived, result.measurements(),
                    result.findings(), parameters, inputDigest, outputDigest, completed.runTime(),
                    lease.waited());
        } finally {
            if (!handedOver) {
                lease.close();
            }
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
            String derivation, String plugin) {
        try {
            return images.storeDerived(caller, uid, output, derivation);
        } catch (InvalidImageException | IllegalArgumentException e) {
            throw new PluginCrashedException(plugin + " returned an image the archive cannot store: "
                    + e.getMessage());
        }
    }
}
