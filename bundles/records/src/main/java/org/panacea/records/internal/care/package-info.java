/**
 * Care-relationship access to a patient's chart and break-glass grants: the record's one place that decides which
 * patients a clinician or nurse may open ({@link org.panacea.records.internal.care.CareRelationshipAccess}).
 */
package org.panacea.records.internal.care;
