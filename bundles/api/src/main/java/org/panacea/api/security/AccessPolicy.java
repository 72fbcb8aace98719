package org.panacea.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The single place where Panacea decides who may do what. Records, audit, engine and the HTTP layer ask it before
 * every action. Thread-safe.
 */
@ProviderType
public interface AccessPolicy {

    /**
     * Decides whether {@code caller} may perform {@code operation} on resources of {@code resourceType} (a FHIR
     * resource type name such as {@code Patient}, or {@code *} for platform-wide operations). Pure: records nothing.
     */
    AccessDecision decide(Caller caller, Operation operation, String resourceType);

    /**
     * Like {@link #decide}, but a denial is written to the audit trail and thrown.
     *
     * @throws AccessDeniedException when the policy refuses; the denial is durable in the audit trail by then
     */
    void require(Caller caller, Operation operation, String resourceType) throws AccessDeniedException;
}
