package org.panacea.dicom.read;

/**
 * The undecoded value of a kept element, with what is needed to decode it and to name it in an error.
 *
 * @param tag       the element
 * @param bytes     its value bytes
 * @param offset    byte offset of the element's header
 * @param bigEndian byte order of binary values
 */
record RawValue(int tag, byte[] bytes, long offset, boolean bigEndian) {
}
