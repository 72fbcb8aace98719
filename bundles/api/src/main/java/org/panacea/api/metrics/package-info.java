/**
 * Operational metrics: what a bundle counts and times for the operators' {@code GET /metrics} (Prometheus text
 * format). Names and label values are fixed vocabularies chosen by the code (a route template, an outcome), never
 * data from a request: no metric may identify a patient.
 */
@Export
@Version("1.0.0")
package org.panacea.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
