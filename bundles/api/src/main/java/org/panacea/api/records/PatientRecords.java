package org.panacea.api.records;

import org.osgi.annotation.versioning.ProviderType;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;

/**
 * The electronic medical record. Every call is checked by the access policy for {@code caller}, validated, encrypted
 * where the field is protected, and audited before it returns. Writes are atomic and durable when they return.
 * Thread-safe.
 */
@ProviderType
public interface PatientRecords {

    /**
     * Validates and stores a new resource given as FHIR R4 JSON; any {@code id} in it is replaced.
     *
     * @throws InvalidResourceException when it is malformed or invalid; nothing is stored
     * @throws AccessDeniedException    when the caller may not create it
     */
    StoredResource create(Caller caller, String json);

    /**
     * The current version of a resource.
     *
     * @throws ResourceNotFoundException when there is none
     */
    StoredResource read(Caller caller, String resourceType, String id);

    /**
     * Replaces a resource, provided its current version is {@code expectedVersion}.
     *
     * @throws VersionConflictException when the resource changed meanwhile; nothing is stored
     */
    StoredResource update(Caller caller, String resourceType, String id, long expectedVersion, String json);

    /** Deletes a resource; its history stays in the audit trail. */
    void delete(Caller caller, String resourceType, String id);

    /** Exact-match search; protected fields are matched through their blind index. */
    SearchResult search(Caller caller, SearchQuery query);

    /**
     * Stores a FHIR {@code transaction} or {@code collection} bundle all-or-nothing: {@code urn:uuid} references
     * are rewritten, conditional references resolved or created, unmodelled resource types kept opaque.
     *
     * @throws InvalidResourceException naming the first bad entry; nothing is stored
     */
    BundleOutcome importBundle(Caller caller, String bundleJson);
}
