/**
 * Patient records: FHIR R4 resources stored, versioned, searched and protected by the platform.
 * Implemented by the {@code records} bundle.
 */
@Export
@Version("1.1.0")
package org.panacea.api.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
