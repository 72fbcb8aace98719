/**
 * What every bundle's {@code http} package needs to serve in Panacea's HTTP context: the context to select, the
 * authenticated {@link org.panacea.api.security.Caller} of a request, the one mapping of failures to FHIR
 * OperationOutcome errors ({@link org.panacea.rest.http.Problems}, {@link org.panacea.rest.http.HttpProblem}),
 * successful answers and health probes' answers ({@link org.panacea.rest.http.Responses}) and the shared JSON
 * configuration ({@link org.panacea.rest.http.Json}).
 */
@Export
@Version("1.4.0")
package org.panacea.rest.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
