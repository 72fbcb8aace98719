package org.panacea.dicom.read;

/**
 * The file is encoded in a transfer syntax (or a variant of one, such as colour JPEG Lossless or 12-bit JPEG) that
 * the reader does not decode; the message names it. Distinct from a malformed file: the file may be perfectly valid.
 *
 * @since 1.2
 */
public class UnsupportedTransferSyntaxException extends DicomFormatException {

    private static final long serialVersionUID = 1L;

    UnsupportedTransferSyntaxException(String problem, int tag, long offset, boolean inflatedOffset) {
        super(problem, tag, offset, inflatedOffset);
    }
}
