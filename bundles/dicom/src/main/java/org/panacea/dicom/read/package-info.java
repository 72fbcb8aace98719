/**
 * A strict, streaming DICOM Part 10 reader. Exported for the platform's core bundles (the record stores what it
 * reads); plugins never see it: the signed-plugin gate refuses any plugin importing a package outside
 * {@code org.panacea.api}.
 */
@Export
@Version("1.3.0")
package org.panacea.dicom.read;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
