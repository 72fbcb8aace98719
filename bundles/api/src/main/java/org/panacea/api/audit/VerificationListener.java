package org.panacea.api.audit;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told the result of every {@link AuditTrail#verify()} on this node (console, HTTP, or any other caller), so that a
 * broken chain is reported however it was found. Registered as an OSGi service; the trail picks up every one. Called
 * on the verifying thread after the verification finished; a listener that throws is logged and does not change the
 * result the caller gets.
 */
@ConsumerType
public interface VerificationListener {

    /** @param verification the result the caller gets */
    void onVerified(AuditVerification verification);
}
