/**
 * How Panacea shows a grey image (embedded with bnd {@code -conditionalpackage}, never exported): the one display
 * function that the DICOMweb rendering, the web viewer's images and the window/level plugin share.
 */
package org.panacea.plugins.support.display;
