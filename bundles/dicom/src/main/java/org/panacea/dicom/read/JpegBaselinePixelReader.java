package org.panacea.dicom.read;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.panacea.api.imaging.Pixels;

/**
 * Lossy JPEG pixel data (JPEG Baseline 1.2.840.10008.1.2.4.50, and JPEG Extended 1.2.840.10008.1.2.4.51 with 8-bit
 * samples), one JPEG image per frame, decoded by the JDK's own JPEG decoder ({@code javax.imageio}, libjpeg 6b): a
 * well-kept decoder, so none is written here. The JDK decodes 8-bit JPEG only, so 12-bit samples are refused by name.
 * <p>
 * Colour: the decoder is asked for the raw components ({@code readRaster}), with no colour conversion of its own,
 * and the reader decides from DICOM (PS3.5 8.2.1) and the JPEG's own markers as libjpeg does: for YBR_FULL_422 and
 * YBR_FULL, and for RGB whose JPEG says its components are YCbCr (a JFIF or Adobe marker with transform 1, or
 * component ids 1, 2, 3 without an Adobe marker), the first component is BT.601 luma Y, which is the grey Panacea
 * keeps; for RGB stored as RGB (Adobe transform 0, or component ids 'R', 'G', 'B') the luma is computed as for
 * native RGB. Nothing is written to disk (the image stream is cached in memory).
 */
final class JpegBaselinePixelReader {

    private final DicomInput in;
    private final PixelFormat format;
    private final TransferSyntax syntax;

    JpegBaselinePixelReader(DicomInput in, PixelFormat format, TransferSyntax syntax) {
        this.in = in;
        this.format = format;
        this.syntax = syntax;
    }

    List<Pixels> read(long elementOffset) throws IOException {
        if (format.bitsStored() > 8 || format.bitsAllocated() != 8) {
            throw new UnsupportedTransferSyntaxException("unsupported transfer syntax " + syntax.uid + " ("
                    + syntax.title + ") with " + format.bitsStored() + "-bit samples: the JPEG decoder reads 8-bit "
                    + "JPEG only", Tags.PIXEL_DATA, elementOffset, in.isInflated());
        }
        List<byte[]> images = EncapsulatedPixelData.jpegFrames(in, format.frames(), elementOffset);
        List<Pixels> frames = new ArrayList<>(images.size());
        for (int f = 0; f < images.size(); f++) {
            frames.add(decode(images.get(f), f + 1, elementOffset));
        }
        return frames;
    }

    private Pixels decode(byte[] jpeg, int frame, long elementOffset) throws DicomFormatException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw in.error("no JPEG decoder in this Java runtime (javax.imageio)", Tags.PIXEL_DATA, elementOffset);
        }
        ImageReader reader = readers.next();
        // libjpeg reads on through corrupt data (filling in what is missing) and only warns: here that refuses the
        // file, as any other damaged pixel data is refused.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        java.awt.image.Raster raster;
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(stream, true, true);
            raster = reader.readRaster(0, null);
        } catch (IOException | RuntimeException e) {
            throw in.error("frame " + frame + " is not a JPEG image the decoder reads: " + e.getMessage(),
                    Tags.PIXEL_DATA, elementOffset);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            throw in.error("frame " + frame + " is damaged JPEG data: " + warnings.get(0), Tags.PIXEL_DATA,
                    elementOffset);
        }
        int width = raster.getWidth();
        int height = raster.getHeight();
        if (width != format.columns() || height != format.rows()) {
            throw in.error("frame " + frame + " is a JPEG image of " + width + " x " + height + " but the file says "
                    + format.columns() + " x " + format.rows(), Tags.PIXEL_DATA, elementOffset);
        }
        if (raster.getNumBands() != format.samplesPerPixel()) {
            throw in.error("frame " + frame + " has " + raster.getNumBands() + " JPEG components but Samples per "
                    + "Pixel is " + format.samplesPerPixel(), Tags.PIXEL_DATA, elementOffset);
        }
        int n = width * height;
        if (format.samplesPerPixel() == 1 || JpegMarkers.componentsAreYcbcr(jpeg, format.photometricInterpretation())) {
            int[] luma = raster.getSamples(0, 0, width, height, 0, new int[n]);
            byte[] grey = new byte[n];
            for (int i = 0; i < n; i++) {
                grey[i] = (byte) luma[i];
            }
            return greyPixels(grey);
        }
        int[] red = raster.getSamples(0, 0, width, height, 0, new int[n]);
        int[] green = raster.getSamples(0, 0, width, height, 1, new int[n]);
        int[] blue = raster.getSamples(0, 0, width, height, 2, new int[n]);
        int[] sums = new int[n];
        for (int i = 0; i < n; i++) {
            sums[i] = 299 * red[i] + 587 * green[i] + 114 * blue[i];
        }
        return Luma.toPixels(sums, 1);
    }

    /** 8-bit grey samples as native data of the same layout gets them (signed 8-bit as signed {@code Gray16}). */
    private Pixels greyPixels(byte[] grey) {
        if (!format.signed()) {
            return new Pixels.Gray8(grey);
        }
        short[] values = new short[grey.length];
        for (int i = 0; i < grey.length; i++) {
            values[i] = grey[i];
        }
        return new Pixels.Gray16(values, true);
    }
}
