/**
 * Writes DICOM: Part 10 files in explicit VR little endian ({@link org.panacea.dicom.write.Part10}), the data sets
 * they hold ({@link org.panacea.dicom.write.DataSet}), Panacea's UIDs ({@link org.panacea.dicom.write.Uids}), and the
 * derived instances that carry an algorithm's result back into the archive as standard objects: a DICOM
 * Segmentation for a mask, a Parametric Map for any other image
 * ({@link org.panacea.dicom.write.DerivedInstances}). Exported for the record's image archive, which stores them.
 */
@Export
@Version("1.0.0")
package org.panacea.dicom.write;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
