/**
 * Pixel loops shared by imaging plugins (embedded with bnd {@code -conditionalpackage}, never exported): threshold
 * masks with their tallies, on the Vector API where the JVM offers it.
 */
package org.panacea.plugins.support.pixels;
