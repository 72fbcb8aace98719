/**
 * What every plugin says about itself: identity, version, intended use and parameter schema, and
 * the manifest headers that mark a bundle as a Panacea plugin.
 */
@Export
@Version("1.1.0")
package org.panacea.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
