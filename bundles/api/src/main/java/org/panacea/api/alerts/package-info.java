/**
 * Alerts on suspicious access, raised by rules over the audit trail as entries commit, kept in the database where
 * every node sees them, and acknowledged by auditors. Implemented by the {@code alerts} bundle.
 */
@Export
@Version("1.0.0")
package org.panacea.api.alerts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
