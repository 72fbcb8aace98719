/**
 * Security contracts: who the caller is, what the access policy allows, encryption of protected
 * fields at rest with a blind index for exact search, key versions and rotation, and plugin signature checks.
 * Implemented by the {@code security} bundle; every other core bundle calls it.
 * <p>
 * 2.0.0: callers are issued only by {@link org.panacea.api.security.CallerAuthentication} and carry a seal the
 * policy checks ({@code Caller.system} is gone; use {@code CallerAuthentication.internal}); the
 * {@link org.panacea.api.security.ImportFolder} confines server paths to one folder.
 * <p>
 * 2.1.0: {@link org.panacea.api.security.SharedSecrets}, secrets every node shares (the audit trail's sealing key),
 * kept with the keys in the security database.
 * <p>
 * 2.2.0: {@link org.panacea.api.security.CallerAuthentication#configuredPeer}, callers for configured network peers
 * (DICOM application entities).
 * <p>
 * 2.3.0: single sign-on with OpenID Connect: {@link org.panacea.api.security.BearerTokenAuthentication},
 * {@link org.panacea.api.security.WebSignOn}, {@link org.panacea.api.security.InvalidTokenException}, and
 * {@link org.panacea.api.security.Caller#scopes()}, the SMART on FHIR scopes that narrow a token's roles.
 * <p>
 * 2.4.0: {@link org.panacea.api.security.Caller#launchPatient()}, the one patient a token's SMART {@code patient/}
 * scopes are limited to (sealed with the caller).
 */
@Export
@Version("2.4.0")
package org.panacea.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
