/**
 * What every bundle's {@code http} package needs to serve in Panacea's HTTP context: the context to select, the
 * authenticated {@link org.panacea.api.security.Caller} of a request, and FHIR OperationOutcome errors.
 */
@Export
@Version("1.1.0")
package org.panacea.rest.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
