/**
 * Patient records: FHIR R4 resources stored, versioned, searched and protected by the platform.
 * Implemented by the {@code records} bundle.
 * <p>
 * 1.2.0: {@link org.panacea.api.records.ChartAccess}, care-relationship access to a patient's chart and break-glass
 * grants, with {@link org.panacea.api.records.ChartDecision}, {@link org.panacea.api.records.CareBasis} and
 * {@link org.panacea.api.records.BreakGlassGrant}.
 * <p>
 * 1.3.0: {@link org.panacea.api.records.CareBasis#OTHER_PATIENT_CONTEXT}: a token limited by its SMART
 * {@code patient/} scopes to one patient opens no other chart; {@link org.panacea.api.records.PatientSecurityLabels},
 * the security labels of a patient's chart (employee, celebrity), kept in step with the Patient.
 */
@Export
@Version("1.4.0")
package org.panacea.api.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
