/**
 * How many threads an imaging plugin may split one image over (embedded with bnd {@code -conditionalpackage},
 * never exported): every core by default, fewer when the operator says so.
 */
package org.panacea.plugins.support.threads;
