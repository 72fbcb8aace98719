package org.panacea.api.imaging;

/**
 * The samples of one grey-scale frame, row-major, top-left first. The arrays are shared, not copied: whoever hands
 * an image over must not change its array afterwards, and an algorithm must not change its input's array.
 */
public sealed interface Pixels permits Pixels.Gray8, Pixels.Gray16, Pixels.Float32 {

    /** Number of samples. */
    int length();

    /** Sample {@code i} as a stored value (before rescale). */
    double sample(int i);

    /**
     * Unsigned 8-bit samples.
     *
     * @param values samples; read with {@code values[i] & 0xFF}
     */
    record Gray8(byte[] values) implements Pixels {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double sample(int i) {
            return values[i] & 0xFF;
        }
    }

    /**
     * 16-bit samples, signed or unsigned as DICOM's Pixel Representation says.
     *
     * @param values samples; read unsigned ones with {@code values[i] & 0xFFFF}
     * @param signed {@code true} for two's complement samples
     */
    record Gray16(short[] values, boolean signed) implements Pixels {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double sample(int i) {
            return signed ? values[i] : values[i] & 0xFFFF;
        }
    }

    /**
     * Real-valued samples, for results such as filtered images and spectra.
     *
     * @param values samples
     */
    record Float32(float[] values) implements Pixels {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public double sample(int i) {
            return values[i];
        }
    }
}
