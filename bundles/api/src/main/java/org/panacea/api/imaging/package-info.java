/**
 * Imaging algorithms: the extension point that imaging plugins implement, and the image values
 * they consume and produce.
 */
@Export
@Version("1.5.0")
package org.panacea.api.imaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
