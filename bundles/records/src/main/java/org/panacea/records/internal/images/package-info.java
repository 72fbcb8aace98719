/**
 * The image archive: DICOM files and images made by algorithms, sealed in chunks in the records database and filed
 * under their patient's ImagingStudy, behind the {@code ImageArchive} service; and FHIR Binary, documents' content
 * sealed in the same chunks ({@code BinaryStore}). Its rows live here; it runs its work through the records bundle's
 * {@code Transactions} and writes the resources it files images under through a {@code ResourceStore}.
 */
package org.panacea.records.internal.images;
