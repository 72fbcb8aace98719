package org.panacea.records.internal.fhir;

import org.panacea.api.records.ResourceType;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;

/**
 * The check made before a Bundle or an import file is read, when the types it holds are not known yet: the caller
 * must be allowed to write at least one resource type. Each entry is still decided on its own once the content is
 * parsed; this only keeps callers who may write nothing at all (researchers, auditors) from having anything parsed.
 */
public final class WriteAccess {

    /** What a denial names: a Bundle stands for "some resources, types not known yet". */
    static final String ANY_TYPE = "Bundle";

    private WriteAccess() {
    }

    /**
     * Returns when {@code caller} may create or update some resource type; otherwise the policy's denial (audited by
     * the policy) is thrown.
     *
     * @throws AccessDeniedException when the caller may write nothing
     */
    public static void requireSomeWrite(AccessPolicy policy, Caller caller) {
        for (ResourceType type : ResourceType.values()) {
            if (policy.decide(caller, Operation.CREATE, type.fhirName()).allowed()
                    || policy.decide(caller, Operation.UPDATE, type.fhirName()).allowed()) {
                return;
            }
        }
        // Refused for every modelled type: the policy decides (and records) the denial in its own words.
        policy.require(caller, Operation.CREATE, ANY_TYPE);
    }
}
