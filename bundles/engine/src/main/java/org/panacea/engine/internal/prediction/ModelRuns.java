package org.panacea.engine.internal.prediction;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.plugin.ParameterSpec;
import org.panacea.api.plugin.PluginDescriptor;
import org.panacea.api.prediction.ModelDescriptor;
import org.panacea.api.prediction.Prediction;
import org.panacea.api.prediction.PredictionInput;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.engine.internal.PluginKind;
import org.panacea.engine.internal.audit.AuditDetails;
import org.panacea.engine.internal.audit.Digests;
import org.panacea.engine.internal.parameters.ParameterValidator;
import org.panacea.engine.internal.registry.PluginDirectory;
import org.panacea.engine.internal.registry.PluginLease;
import org.panacea.engine.internal.run.PluginRunner;
import org.panacea.engine.internal.run.PluginRuns;

/**
 * Asks a prediction model about a patient, for a caller: checks the access policy first, finds the model (waiting
 * for a replacement during a swap), takes the inputs given in the request and reads the others from the patient's
 * record ({@link RecordInputs}; explicit values win, then the record, then the model's defaults), runs the model
 * through the {@link PluginRunner}, stores the prediction as a FHIR RiskAssessment and audits the run with the digests
 * of inputs and prediction. Thread-safe.
 * <p>
 * A caller allowed to run models but not to write RiskAssessments (a nurse, under the default policy) gets the
 * prediction, with the reason it was not stored.
 * <p>
 * Besides the failures of every run ({@link PluginRuns#run}): {@link ResourceNotFoundException} when the patient does
 * not exist, {@link MissingInputsException} when required inputs are neither given nor in the record, or out of
 * range, {@link IllegalArgumentException} for a malformed patient id.
 */
@Component(service = ModelRuns.class)
public class ModelRuns extends PluginRuns<PredictionModel, ModelDescriptor, ModelRequest, ModelRun> {

    /** The resource type a run writes. */
    static final String RESOURCE_TYPE = PluginKind.PREDICTION_MODEL.resourceType();

    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final PatientRecords records;
    private final RecordInputs recordInputs;
    private final Clock clock;

    @Activate
    public ModelRuns(@Reference PluginDirectory directory, @Reference PluginRunner runner,
            @Reference AccessPolicy policy, @Reference PatientRecords records, @Reference AuditTrail trail) {
        this(directory, runner, policy, records, trail, Clock.systemUTC());
    }

    public ModelRuns(PluginDirectory directory, PluginRunner runner, AccessPolicy policy, PatientRecords records,
            AuditTrail trail, Clock clock) {
        super(PluginKind.PREDICTION_MODEL, directory.models(), runner, policy, trail);
        this.records = records;
        this.recordInputs = new RecordInputs(records, clock);
        this.clock = clock;
    }

    @Override
    protected AuditDetails details(ModelRequest request) {
        return new AuditDetails().put("plugin", request.modelId());
    }

    @Override
    protected Run<PredictionModel, ModelDescriptor, ?, ModelRun> start(Caller caller, ModelRequest request,
            AuditDetails details) {
        String patientId = patientId(request.patientId());
        details.patient(patientId);
        return new PatientRun(caller, request, details, patientId);
    }

    @Override
    protected boolean refusesInput(RuntimeException failure) {
        return failure instanceof ResourceNotFoundException || failure instanceof MissingInputsException;
    }

    /** One run: gathers the inputs, asks the model, stores the RiskAssessment where the caller may. */
    private final class PatientRun implements Run<PredictionModel, ModelDescriptor, Prediction, ModelRun> {

        private final Caller caller;
        private final ModelRequest request;
        private final AuditDetails details;
        private final String patientId;
        private List<InputValue> inputs;
        private String inputDigest;

        PatientRun(Caller caller, ModelRequest request, AuditDetails details, String patientId) {
            this.caller = caller;
            this.request = request;
            this.details = details;
            this.patientId = patientId;
        }

        @Override
        public Call<Prediction> prepare(PluginLease<PredictionModel, ModelDescriptor> lease) {
            PluginDescriptor plugin = lease.plugin();
            Map<String, Double> explicit = ParameterValidator.explicitInputs(plugin, request.inputs(),
                    request.source());
            StoredResource patient = records.read(caller, "Patient", patientId);
            inputs = assemble(caller, plugin, patient, explicit);
            Map<String, Double> values = new TreeMap<>();
            inputs.forEach(input -> values.put(input.name(), input.value()));
            inputDigest = Digests.inputs(values);
            details.put("inputs", AuditDetails.values(values)).put("input.sha256", inputDigest);
            PredictionModel service = lease.service();
            PredictionInput input = new PredictionInput(values);
            return new Call<>(0, () -> service.predict(input));
        }

        @Override
        public ModelRun finish(PluginLease<PredictionModel, ModelDescriptor> lease,
                PluginRunner.Completed<Prediction> completed) {
            ModelDescriptor model = lease.descriptor();
            Prediction prediction = completed.value();
            String outputDigest = Digests.prediction(prediction);
            details.put("output.sha256", outputDigest).put("duration.ms", completed.runTime().toMillis());
            String riskAssessmentId = null;
            String notStored = null;
            AccessDecision mayStore = policy().decide(caller, Operation.CREATE, RESOURCE_TYPE);
            if (mayStore.allowed()) {
                riskAssessmentId = records.create(caller, RiskAssessments.of(patientId, model, prediction, inputs,
                        clock.instant())).id();
                details.put("stored", RESOURCE_TYPE + "/" + riskAssessmentId);
            } else {
                notStored = "not stored in the record: " + mayStore.reason();
                details.put("stored", "no");
            }
            return new ModelRun(model, patientId, prediction, inputs, riskAssessmentId, notStored, inputDigest,
                    outputDigest, completed.runTime(), lease.waited());
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
