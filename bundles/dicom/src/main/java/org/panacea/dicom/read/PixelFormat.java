package org.panacea.dicom.read;

import java.util.Set;

/**
 * How the stored pixels of an image are laid out (PS3.3 C.7.6.3, PS3.5 8.1), validated, and what they become:
 * <ul>
 * <li>1 bit (segmentations): {@code Gray8} holding 0 or 1;</li>
 * <li>8 bits unsigned: {@code Gray8}; 8 bits signed: {@code Gray16} signed (Gray8 is unsigned);</li>
 * <li>16 bits: {@code Gray16}, signed as Pixel Representation says;</li>
 * <li>32 bits (RT dose, parametric maps): {@code Float32}, exact for magnitudes up to 2<sup>24</sup> and rounded to
 * 24 significant bits above (a relative error of at most 6e-8);</li>
 * <li>colour, RGB or YBR_FULL with 8 or 16 bits: converted to grey, {@code Gray8} or unsigned {@code Gray16}: the
 * luma {@code round((299 R + 587 G + 114 B) / 1000)} of ITU-R BT.601, which for YBR_FULL is Y itself.</li>
 * </ul>
 * When Bits Stored is below Bits Allocated, the stored bits ending at High Bit are kept and sign-extended when
 * signed; the other bits (retired overlays) are dropped. Palette colour, sub-sampled YBR and other photometric
 * interpretations are refused.
 */
record PixelFormat(int rows, int columns, int frames, int samplesPerPixel, String photometricInterpretation,
        int planarConfiguration, int bitsAllocated, int bitsStored, int highBit, boolean signed) {

    private static final Set<String> MONOCHROME = Set.of("MONOCHROME1", "MONOCHROME2");
    private static final Set<String> COLOUR = Set.of("RGB", "YBR_FULL");
    /** Largest Java array this reader allocates, in elements. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Whole-number luma weights, thousandths, of red, green, blue (BT.601); Y alone for YBR_FULL. */
    int[] lumaWeights() {
        return "RGB".equals(photometricInterpretation) ? new int[] { 299, 587, 114 } : new int[] { 1000, 0, 0 };
    }

    /** Samples per frame per component: rows x columns. */
    int frameSamples() {
        return rows * columns;
    }

    boolean colour() {
        return samplesPerPixel == 3;
    }

    /** Bytes per stored sample; 0 for 1-bit data. */
    int bytesPerSample() {
        return bitsAllocated / 8;
    }

    /** Bytes of native (uncompressed) pixel data the frames need. */
    long nativeBytes() {
        long samples = (long) frames * frameSamples();
        if (bitsAllocated == 1) {
            return (samples + 7) / 8;
        }
        return samples * samplesPerPixel * bytesPerSample();
    }

    /** Bytes of one decoded frame as RLE segments hold it. */
    long decodedFrameBytes() {
        return (long) frameSamples() * samplesPerPixel * Math.max(1, bytesPerSample());
    }

    /** Bytes of the arrays handed out: all frames, after conversion. */
    long outputBytes() {
        int outputBytes;
        if (bitsAllocated == 32) {
            outputBytes = 4;
        } else if (bitsAllocated == 16 || bitsAllocated == 8 && signed) {
            outputBytes = 2;
        } else {
            outputBytes = 1;
        }
        return (long) frames * frameSamples() * outputBytes;
    }

    /**
     * A stored sample (its {@code bitsAllocated} low bits, unsigned) reduced to its {@code bitsStored} bits ending
     * at High Bit, sign-extended when signed.
     */
    long normalise(long raw) {
        int shift = highBit + 1 - bitsStored;
        long value = (raw >>> shift) & ((1L << bitsStored) - 1);
        if (signed && (value >>> (bitsStored - 1)) != 0) {
            value -= 1L << bitsStored;
        }
        return value;
    }

    /** A 32-bit stored sample as a real number (rounded to 24 significant bits beyond 2^24). */
    float toFloat(int raw) {
        if (storedBitsFillSample()) {
            return signed ? (float) raw : (float) (raw & 0xFFFFFFFFL);
        }
        return (float) normalise(raw & 0xFFFFFFFFL);
    }

    /** {@code true} when {@link #normalise} changes nothing but the sign interpretation of full-width samples. */
    boolean storedBitsFillSample() {
        return bitsStored == bitsAllocated;
    }

    /**
     * The layout the kept attributes describe, checked for consistency and support.
     *
     * @param pixelDataOffset where the pixel data starts: an absent attribute is reported there
     */
    static PixelFormat from(RawAttributes attributes, ValueDecoder decoder, long pixelDataOffset, boolean inflated)
            throws DicomFormatException {
        int rows = requiredUnsignedShort(attributes, decoder, Tags.ROWS, pixelDataOffset, inflated);
        int columns = requiredUnsignedShort(attributes, decoder, Tags.COLUMNS, pixelDataOffset, inflated);
        int samples = requiredUnsignedShort(attributes, decoder, Tags.SAMPLES_PER_PIXEL, pixelDataOffset, inflated);
        int bitsAllocated = requiredUnsignedShort(attributes, decoder, Tags.BITS_ALLOCATED, pixelDataOffset, inflated);
        int bitsStored = requiredUnsignedShort(attributes, decoder, Tags.BITS_STORED, pixelDataOffset, inflated);
        int highBit = requiredUnsignedShort(attributes, decoder, Tags.HIGH_BIT, pixelDataOffset, inflated);
        int representation = requiredUnsignedShort(attributes, decoder, Tags.PIXEL_REPRESENTATION, pixelDataOffset,
                inflated);
        RawValue photometricValue = required(attributes, Tags.PHOTOMETRIC_INTERPRETATION, pixelDataOffset, inflated);
        String photometric = decoder.codeString(photometricValue);
        RawValue framesValue = attributes.get(Tags.NUMBER_OF_FRAMES);
        Integer declaredFrames = decoder.integerString(framesValue);
        int frames = declaredFrames == null ? 1 : declaredFrames;
        RawValue planarValue = attributes.get(Tags.PLANAR_CONFIGURATION);
        int planar = planarValue == null ? 0 : decoder.unsignedShort(planarValue);

        if (rows == 0) {
            throw decoder.error(attributes.get(Tags.ROWS), "an image needs at least one row");
        }
        if (columns == 0) {
            throw decoder.error(attributes.get(Tags.COLUMNS), "an image needs at least one column");
        }
        if ((long) rows * columns > MAX_ARRAY) {
            throw decoder.error(attributes.get(Tags.COLUMNS),
                    "a frame of " + rows + " x " + columns + " samples is larger than this reader handles");
        }
        if (frames < 1) {
            throw decoder.error(framesValue, "an image needs at least one frame, Number of Frames is " + frames);
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw decoder.error(attributes.get(Tags.BITS_ALLOCATED),
                    "Bits Allocated " + bitsAllocated + " is not supported (1, 8, 16 or 32)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw decoder.error(attributes.get(Tags.BITS_STORED),
                    "Bits Stored " + bitsStored + " must be 1 to Bits Allocated (" + bitsAllocated + ")");
        }
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw decoder.error(attributes.get(Tags.HIGH_BIT), "High Bit " + highBit + " must be "
                    + (bitsStored - 1) + " to " + (bitsAllocated - 1) + " for the Bits Stored and Allocated given");
        }
        if (representation > 1) {
            throw decoder.error(attributes.get(Tags.PIXEL_REPRESENTATION),
                    "Pixel Representation " + representation + " must be 0 (unsigned) or 1 (signed)");
        }
        if (planar > 1) {
            throw decoder.error(planarValue, "Planar Configuration " + planar + " must be 0 or 1");
        }
        if (MONOCHROME.contains(photometric)) {
            if (samples != 1) {
                throw decoder.error(attributes.get(Tags.SAMPLES_PER_PIXEL),
                        photometric + " needs Samples per Pixel 1, found " + samples);
            }
            if (bitsAllocated == 1 && representation != 0) {
                throw decoder.error(attributes.get(Tags.PIXEL_REPRESENTATION), "1-bit samples cannot be signed");
            }
        } else if (COLOUR.contains(photometric)) {
            if (samples != 3) {
                throw decoder.error(attributes.get(Tags.SAMPLES_PER_PIXEL),
                        photometric + " needs Samples per Pixel 3, found " + samples);
            }
            if (bitsAllocated != 8 && bitsAllocated != 16 || bitsStored != bitsAllocated || representation != 0) {
                throw decoder.error(attributes.get(Tags.BITS_ALLOCATED), "colour images are converted to grey only"
                        + " with unsigned samples of 8 or 16 bits, all stored; found Bits Allocated " + bitsAllocated
                        + ", Bits Stored " + bitsStored + ", Pixel Representation " + representation);
            }
        } else {
            String shown = photometric.length() <= 16 ? photometric : photometric.substring(0, 16) + "...";
            throw decoder.error(photometricValue, "Photometric Interpretation " + shown + " is not supported"
                    + " (MONOCHROME1, MONOCHROME2, and RGB or YBR_FULL converted to grey)");
        }
        return new PixelFormat(rows, columns, frames, samples, photometric, planar, bitsAllocated, bitsStored,
                highBit, representation == 1);
    }

    /**
     * The layout of Float Pixel Data (PS3.3 C.7.6.24): one sample per pixel, MONOCHROME2 (or 1), 32 bits allocated;
     * Bits Stored, High Bit and Pixel Representation do not apply to it and are not read.
     */
    static PixelFormat floating(RawAttributes attributes, ValueDecoder decoder, long pixelDataOffset, boolean inflated)
            throws DicomFormatException {
        int rows = requiredUnsignedShort(attributes, decoder, Tags.ROWS, pixelDataOffset, inflated);
        int columns = requiredUnsignedShort(attributes, decoder, Tags.COLUMNS, pixelDataOffset, inflated);
        int samples = requiredUnsignedShort(attributes, decoder, Tags.SAMPLES_PER_PIXEL, pixelDataOffset, inflated);
        int bitsAllocated = requiredUnsignedShort(attributes, decoder, Tags.BITS_ALLOCATED, pixelDataOffset, inflated);
        RawValue photometricValue = required(attributes, Tags.PHOTOMETRIC_INTERPRETATION, pixelDataOffset, inflated);
        String photometric = decoder.codeString(photometricValue);
        RawValue framesValue = attributes.get(Tags.NUMBER_OF_FRAMES);
        Integer declaredFrames = decoder.integerString(framesValue);
        int frames = declaredFrames == null ? 1 : declaredFrames;
        if (rows == 0 || columns == 0) {
            throw decoder.error(attributes.get(rows == 0 ? Tags.ROWS : Tags.COLUMNS), "an image needs at least one row "
                    + "and one column");
        }
        if ((long) rows * columns > MAX_ARRAY) {
            throw decoder.error(attributes.get(Tags.COLUMNS),
                    "a frame of " + rows + " x " + columns + " samples is larger than this reader handles");
        }
        if (frames < 1) {
            throw decoder.error(framesValue, "an image needs at least one frame, Number of Frames is " + frames);
        }
        if (bitsAllocated != 32) {
            throw decoder.error(attributes.get(Tags.BITS_ALLOCATED), "Float Pixel Data needs Bits Allocated 32, found "
                    + bitsAllocated);
        }
        if (samples != 1 || !MONOCHROME.contains(photometric)) {
            throw decoder.error(photometricValue, "Float Pixel Data is read as grey only (Samples per Pixel 1, "
                    + "MONOCHROME2); found " + samples + " sample(s), " + photometric);
        }
        return new PixelFormat(rows, columns, frames, 1, photometric, 0, 32, 32, 31, true);
    }

    private static RawValue required(RawAttributes attributes, int tag, long pixelDataOffset, boolean inflated)
            throws DicomFormatException {
        RawValue value = attributes.get(tag);
        if (value == null) {
            throw new DicomFormatException("required element missing before the pixel data that starts here", tag,
                    pixelDataOffset, inflated);
        }
        return value;
    }

    private static int requiredUnsignedShort(RawAttributes attributes, ValueDecoder decoder, int tag,
            long pixelDataOffset, boolean inflated) throws DicomFormatException {
        return decoder.unsignedShort(required(attributes, tag, pixelDataOffset, inflated));
    }
}
