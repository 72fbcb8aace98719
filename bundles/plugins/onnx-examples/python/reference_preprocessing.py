"""The pre-processing the model descriptors declare, written independently of the Java side with pydicom and numpy:
the reference the equality tests compare Panacea's outputs with starts from the DICOM file."""
import numpy as np
import pydicom


def hounsfield(path):
    """Stored values times Rescale Slope plus Rescale Intercept (HU for CT), float64."""
    dataset = pydicom.dcmread(path)
    slope = float(getattr(dataset, "RescaleSlope", 1.0))
    intercept = float(getattr(dataset, "RescaleIntercept", 0.0))
    return dataset.pixel_array.astype(np.float64) * slope + intercept


def spacing(path):
    dataset = pydicom.dcmread(path)
    return [float(v) for v in dataset.PixelSpacing]


def window(hu, center, width):
    """Linear window to [0, 1]: center - width/2 maps to 0, center + width/2 to 1, clipped."""
    return np.clip((hu - (center - width / 2.0)) / width, 0.0, 1.0)


def bilinear(image, out_h, out_w):
    """Bilinear resampling with half-pixel centres (PyTorch align_corners=False, OpenCV INTER_LINEAR): output pixel
    (y, x) samples the input at ((y + 0.5) * in_h / out_h - 0.5, ...), clamped to the image, no antialiasing."""
    in_h, in_w = image.shape

    def axis(n_out, n_in):
        src = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
        src = np.clip(src, 0.0, n_in - 1)
        low = np.floor(src).astype(np.int64)
        high = np.minimum(low + 1, n_in - 1)
        return low, high, src - low

    y0, y1, fy = axis(out_h, in_h)
    x0, x1, fx = axis(out_w, in_w)
    top = image[y0][:, x0] * (1 - fx) + image[y0][:, x1] * fx
    bottom = image[y1][:, x0] * (1 - fx) + image[y1][:, x1] * fx
    return top * (1 - fy)[:, None] + bottom * fy[:, None]


def preprocess(path, size, center, width, mean, std):
    """DICOM file -> 1 x 1 x size x size float32 NCHW: HU, window, bilinear resample, (x - mean) / std."""
    resampled = bilinear(window(hounsfield(path), center, width), size, size)
    return ((resampled - mean) / std).astype(np.float32)[None, None]


def nearest_back(label_map, path):
    """A label map at the network's size, back to the DICOM image's rows and columns by nearest neighbour (the
    source pixel whose centre is closest: floor((y + 0.5) * in / out))."""
    rows, columns = pydicom.dcmread(path).pixel_array.shape
    h, w = label_map.shape
    ys = np.minimum(np.floor((np.arange(rows) + 0.5) * h / rows).astype(np.int64), h - 1)
    xs = np.minimum(np.floor((np.arange(columns) + 0.5) * w / columns).astype(np.int64), w - 1)
    return label_map[ys][:, xs]


def softmax(logits):
    shifted = np.exp(logits.astype(np.float64) - logits.max())
    return shifted / shifted.sum()


def roc_auc(scores, labels):
    """Area under the ROC curve by the Mann-Whitney statistic (ties count one half)."""
    positive, negative = scores[labels == 1], scores[labels == 0]
    greater = (positive[:, None] > negative[None, :]).sum()
    ties = (positive[:, None] == negative[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(positive) * len(negative)))
