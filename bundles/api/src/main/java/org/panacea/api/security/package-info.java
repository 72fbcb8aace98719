/**
 * Security contracts: who the caller is, what the access policy allows, encryption of protected
 * fields at rest with a blind index for exact search, key versions and rotation, and plugin signature checks.
 * Implemented by the {@code security} bundle; every other core bundle calls it.
 */
@Export
@Version("1.1.0")
package org.panacea.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
