package org.panacea.engine.internal;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.plugin.PluginHeaders;
import org.panacea.api.security.Operation;

/**
 * The two kinds of plugin the engine runs, and what each is to the rest of the platform: its name in messages, the
 * operation and resource type the access policy is asked about, and how its runs are audited.
 */
public enum PluginKind {

    /** {@code ImagingAlgorithm}: runs on one frame of an archived image. */
    IMAGING_ALGORITHM("imaging algorithm", "result", Operation.RUN_ALGORITHM, "ImagingStudy", AuditAction.ALGORITHM_RUN,
            PluginHeaders.KIND_IMAGING),
    /** {@code PredictionModel}: asked about one patient; what a run writes is a RiskAssessment. */
    PREDICTION_MODEL("prediction model", "prediction", Operation.RUN_MODEL, "RiskAssessment", AuditAction.MODEL_RUN,
            PluginHeaders.KIND_PREDICTION);

    private final String noun;
    private final String answer;
    private final Operation operation;
    private final String resourceType;
    private final AuditAction auditAction;
    private final String auditType;

    PluginKind(String noun, String answer, Operation operation, String resourceType, AuditAction auditAction,
            String auditType) {
        this.noun = noun;
        this.answer = answer;
        this.operation = operation;
        this.resourceType = resourceType;
        this.auditAction = auditAction;
        this.auditType = auditType;
    }

    /** What a plugin of the kind is called in messages: {@code imaging algorithm}. */
    public String noun() {
        return noun;
    }

    /** What a call into one returns, in messages: {@code ... returned no result}. */
    public String answer() {
        return answer;
    }

    /** The operation the access policy is asked about before a run. */
    public Operation operation() {
        return operation;
    }

    /** The resource type the access policy is asked about before a run. */
    public String resourceType() {
        return resourceType;
    }

    /** The action of a run's audit entry. */
    public AuditAction auditAction() {
        return auditAction;
    }

    /** The resource type of a run's audit entry: the plugin kind of the {@code Panacea-Plugin} header. */
    public String auditType() {
        return auditType;
    }
}
