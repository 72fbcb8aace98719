package org.panacea.engine.internal.prediction;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.framework.VersionRange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
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
 * Asks a prediction model about a patient, for a caller: checks the access policy first, finds the model (waiting
 * for a replacement during a swap), takes the inputs given in the request and reads the others from the patient's
 * record ({@link RecordInputs}; explicit values win, then the record, then the model's defaults), runs the model
 * through the {@link PluginRunner}, stores the prediction as a FHIR RiskAssessment and audits the run with the digests
 * of inputs and prediction. Thread-safe.
 * <p>
 * A caller allowed to run models but not to write RiskAssessments (a nurse, under the default policy) gets the
 * prediction, with the reason it was not stored.
 */
@Component(service = ModelRuns.class)
public class ModelRuns {

    /** The resource type the access policy is asked about: what a run writes. */
    static final String RESOURCE_TYPE = "RiskAssessment";

    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final PluginDirectory directory;
    private final PluginRunner runner;
    private final AccessPolicy policy;
    private final PatientRecords records;
    private final RunAudit audit;
    private final RecordInputs recordInputs;
    private final Clock clock;

    @Activate
    public ModelRuns(@Reference PluginDirectory directory, @Reference PluginRunner runner,
            @Reference AccessPolicy policy, @Reference PatientRecords records, @Reference AuditTrail trail) {
        this(directory, runner, policy, records, trail, Clock.systemUTC());
    }

    public ModelRuns(PluginDirectory directory, PluginRunner runner, AccessPolicy policy, PatientRecords records,
            AuditTrail trail, Clock clock) {
        this.directory = directory;
        this.runner = runner;
        this.policy = policy;
        this.records = records;
        this.audit = new RunAudit(trail);
        this.recordInputs = new RecordInputs(records, clock);
        this.clock = clock;
    }

    /** Every registered model's card, by id, the highest version first. */
    public List<ModelDescriptor> catalogue() {
        return directory.models().available();
    }

    /**
     * Checks that {@code caller} may run models at all, before a request is even read ({@link #run} checks again).
     *
     * @throws AccessDeniedException when not (audited by the policy)
     */
    public void requireAccess(Caller caller) {
        policy.require(caller, Operation.RUN_MODEL, RESOURCE_TYPE);
    }

    /**
     * Runs one model for one patient.
     *
     * @throws AccessDeniedException       when the caller may not run models (audited by the policy)
     * @throws IllegalArgumentException    for a malformed request (patient id, version range, time limit)
     * @throws PluginNotFoundException     when no version of the model in range is installed
     * @throws InvalidParametersException  when explicit inputs do not fit the model's schema
     * @throws ResourceNotFoundException   when the patient does not exist
     * @throws MissingInputsException      when required inputs are neither given nor in the record, or out of range
     * @throws PluginRefusedException      when the model refuses the inputs
     * @throws AuditException              when the run succeeded but could not be audited (reported as failed)
     * @throws RuntimeException            the runner's failures: saturation, memory, time-out, crash
     */
    public ModelRun run(Caller caller, ModelRequest request) {
        requireAccess(caller);
        AuditDetails details = new AuditDetails().put("plugin", request.modelId());
        try {
            return run(caller, request, details);
        } catch (AccessDeniedException | AuditException e) {
            throw e;
        } catch (PluginRefusedException | InvalidParametersException | PluginNotFoundException
                | ResourceNotFoundException | MissingInputsException | IllegalArgumentException e) {
            audit.failure(caller, AuditAction.MODEL_RUN, PluginHeaders.KIND_PREDICTION, request.modelId(),
                    AuditOutcome.FAILURE, details, e);
            throw e;
        } catch (RuntimeException e) {
            audit.failure(caller, AuditAction.MODEL_RUN, PluginHeaders.KIND_PREDICTION, request.modelId(),
                    AuditOutcome.ERROR, details, e);
            throw e;
        }
    }

    private ModelRun run(Caller caller, ModelRequest request, AuditDetails details) {
        Duration timeLimit = runner.requestedLimit(request.timeoutSeconds());
        Optional<VersionRange> range = VersionRanges.parse(request.versionRange());
        String patientId = patientId(request.patientId());
        details.patient(patientId);
        PluginLease<PredictionModel, ModelDescriptor> lease = directory.models().acquire(request.modelId(), range);
        boolean handedOver = false;
        try {
            ModelDescriptor model = lease.descriptor();
            PluginDescriptor plugin = model.plugin();
            details.put("version", plugin.version());
            Map<String, Double> explicit = ParameterValidator.explicitInputs(plugin, request.inputs(),
                    request.source());
            StoredResource patient = records.read(caller, "Patient", patientId);
            List<InputValue> inputs = assemble(caller, plugin, patient, explicit);
            Map<String, Double> values = new TreeMap<>();
            inputs.forEach(input -> values.put(input.name(), input.value()));
            String inputDigest = Digests.inputs(values);
            details.put("inputs", AuditDetails.values(values)).put("input.sha256", inputDigest);
            PredictionModel service = lease.service();
            PredictionInput input = new PredictionInput(values);
            handedOver = true;
            PluginRunner.Completed<Prediction> completed = runner.run(lease.name(), timeLimit, 0, lease,
                    () -> service.predict(input));
            Prediction prediction = completed.value();
            if (prediction == null) {
                throw new PluginCrashedException(lease.name() + " returned no prediction");
            }
            String outputDigest = Digests.prediction(prediction);
            details.put("output.sha256", outputDigest).put("duration.ms", completed.runTime().toMillis());
            String riskAssessmentId = null;
            String notStored = null;
            AccessDecision mayStore = policy.decide(caller, Operation.CREATE, RESOURCE_TYPE);
            if (mayStore.allowed()) {
                riskAssessmentId = records.create(caller, RiskAssessments.of(patientId, model, prediction, inputs,
                        clock.instant())).id();
                details.put("stored", RESOURCE_TYPE + "/" + riskAssessmentId);
            } else {
                notStored = "not stored in the record: " + mayStore.reason();
                details.put("stored", "no");
            }
            audit.success(caller, AuditAction.MODEL_RUN, PluginHeaders.KIND_PREDICTION, plugin.id(), details);
            return new ModelRun(model, patientId, prediction, inputs, riskAssessmentId, notStored, inputDigest,
                    outputDigest, completed.runTime(), lease.waited());
        } finally {
            if (!handedOver) {
                lease.close();
            }
        }
    }

    /** Every input of the model in schema order: given, else from the record, else its default. */
    private List<InputValue> assemble(Caller caller, PluginDescriptor plugin, StoredResource patient,
            Map<String, Double> explicit) {
        List<ParameterSpec> wanted = plugin.parameters().stream().filter(spec -> !explicit.containsKey(spec.name()))
                .toList();
        RecordInputs.Gathered gathered = recordInputs.gather(caller, patient, wanted);
        List<InputValue> inputs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ParameterSpec spec : plugin.parameters()) {
            Double given = explicit.get(spec.name());
            InputValue fromRecord = gathered.values().get(spec.name());
            Optional<Double> fallback = ParameterValidator.modelDefault(plugin, spec);
            if (given != null) {
                inputs.add(new InputValue(spec.name(), given, spec.unit(), "request", ""));
            } else if (fromRecord != null) {
                Optional<String> problem = ParameterValidator.modelValueProblem(spec, fromRecord.value());
                if (problem.isPresent()) {
                    problems.add("the record gives " + ParameterValidator.format(fromRecord.value()) + " ("
                            + fromRecord.source() + "), but " + problem.get() + "; give '" + spec.name()
                            + "' in the request to override it");
                } else {
                    inputs.add(fromRecord);
                }
            } else if (fallback.isPresent()) {
                inputs.add(new InputValue(spec.name(), fallback.get(), spec.unit(), "default", ""));
            } else {
                problems.add("input '" + spec.name() + "' (" + ParameterValidator.expectation(spec)
                        + (spec.code().isEmpty() ? "" : ", code " + spec.code()) + ") is required but not found: "
                        + gathered.missing().getOrDefault(spec.name(), "it is not in the record")
                        + "; give it in the request");
            }
        }
        if (!problems.isEmpty()) {
            throw new MissingInputsException(problems);
        }
        return inputs;
    }

    private static String patientId(String given) {
        String id = given == null ? "" : given.strip();
        if (id.startsWith("Patient/")) {
            id = id.substring("Patient/".length());
        }
        if (!RECORD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("patient: give the patient's id in the record (1 to 64 letters, "
                    + "digits, '-' or '.'); got '" + (given == null ? "" : given) + "'");
        }
        return id;
    }
}
