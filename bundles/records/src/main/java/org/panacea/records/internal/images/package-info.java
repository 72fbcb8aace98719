/**
 * The image archive: DICOM files and images made by algorithms, sealed in chunks in the records database and filed
 * under their patient's ImagingStudy, behind the {@code ImageArchive} service. Its rows live here; it runs its work
 * through the records bundle's {@code Transactions} and writes the resources it files images under through a
 * {@code ResourceStore}.
 */
package org.panacea.records.internal.images;
