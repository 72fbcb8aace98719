package org.panacea.plugins.prediction.deterioration;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Chart 1 of NEWS2 (Royal College of Physicians, National Early Warning Score (NEWS) 2, 2017): the points of each
 * physiological parameter. The chart's bands are whole numbers (temperature: tenths of a degree), so a measured
 * value is first charted as an observer writes it down, rounded half up to a whole number (temperature to 0.1 Cel),
 * then looked up.
 */
final class News2Chart {

    private News2Chart() {
    }

    /** A measured value as charted: the nearest whole number, halves up. */
    static long charted(double value) {
        return BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** A temperature in Cel as charted: tenths of a degree, the nearest tenth, halves up. */
    static long chartedTenths(double celsius) {
        return BigDecimal.valueOf(celsius).movePointRight(1).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Respiration rate per minute: <= 8: 3; 9-11: 1; 12-20: 0; 21-24: 2; >= 25: 3. */
    static Band respirationRate(long perMinute) {
        if (perMinute <= 8) {
            return new Band(3, "<= 8");
        } else if (perMinute <= 11) {
            return new Band(1, "9-11");
        } else if (perMinute <= 20) {
            return new Band(0, "12-20");
        } else if (perMinute <= 24) {
            return new Band(2, "21-24");
        }
        return new Band(3, ">= 25");
    }

    /**
     * SpO2 in %. Scale 1 (most patients): <= 91: 3; 92-93: 2; 94-95: 1; >= 96: 0. Scale 2 (confirmed hypercapnic
     * respiratory failure, target 88-92%): <= 83: 3; 84-85: 2; 86-87: 1; 88-92, or >= 93 on air: 0; on oxygen 93-94:
     * 1, 95-96: 2, >= 97: 3.
     */
    static Band oxygenSaturation(long percent, int scale, boolean onOxygen) {
        if (scale == 1) {
            if (percent <= 91) {
                return new Band(3, "<= 91 (scale 1)");
            } else if (percent <= 93) {
                return new Band(2, "92-93 (scale 1)");
            } else if (percent <= 95) {
                return new Band(1, "94-95 (scale 1)");
            }
            return new Band(0, ">= 96 (scale 1)");
        }
        if (scale != 2) {
            throw new IllegalArgumentException("SpO2 scale must be 1 or 2, was " + scale);
        }
        if (percent <= 83) {
            return new Band(3, "<= 83 (scale 2)");
        } else if (percent <= 85) {
            return new Band(2, "84-85 (scale 2)");
        } else if (percent <= 87) {
            return new Band(1, "86-87 (scale 2)");
        } else if (percent <= 92) {
            return new Band(0, "88-92 (scale 2)");
        } else if (!onOxygen) {
            return new Band(0, ">= 93 on air (scale 2)");
        } else if (percent <= 94) {
            return new Band(1, "93-94 on oxygen (scale 2)");
        } else if (percent <= 96) {
            return new Band(2, "95-96 on oxygen (scale 2)");
        }
        return new Band(3, ">= 97 on oxygen (scale 2)");
    }

    /** Air or oxygen: any supplemental oxygen: 2; air: 0. */
    static Band airOrOxygen(boolean onOxygen) {
        return onOxygen ? new Band(2, "oxygen") : new Band(0, "air");
    }

    /** Systolic blood pressure in mm[Hg]: <= 90: 3; 91-100: 2; 101-110: 1; 111-219: 0; >= 220: 3. */
    static Band systolicPressure(long mmHg) {
        if (mmHg <= 90) {
            return new Band(3, "<= 90");
        } else if (mmHg <= 100) {
            return new Band(2, "91-100");
        } else if (mmHg <= 110) {
            return new Band(1, "101-110");
        } else if (mmHg <= 219) {
            return new Band(0, "111-219");
        }
        return new Band(3, ">= 220");
    }

    /** Pulse per minute: <= 40: 3; 41-50: 1; 51-90: 0; 91-110: 1; 111-130: 2; >= 131: 3. */
    static Band pulse(long perMinute) {
        if (perMinute <= 40) {
            return new Band(3, "<= 40");
        } else if (perMinute <= 50) {
            return new Band(1, "41-50");
        } else if (perMinute <= 90) {
            return new Band(0, "51-90");
        } else if (perMinute <= 110) {
            return new Band(1, "91-110");
        } else if (perMinute <= 130) {
            return new Band(2, "111-130");
        }
        return new Band(3, ">= 131");
    }

    /** Consciousness on the ACVPU scale: alert: 0; new confusion, voice, pain or unresponsive (CVPU): 3. */
    static Band consciousness(boolean alert) {
        return alert ? new Band(0, "alert") : new Band(3, "CVPU");
    }

    /** Temperature in tenths of a Cel: <= 35.0: 3; 35.1-36.0: 1; 36.1-38.0: 0; 38.1-39.0: 1; >= 39.1: 2. */
    static Band temperature(long tenths) {
        if (tenths <= 350) {
            return new Band(3, "<= 35.0");
        } else if (tenths <= 360) {
            return new Band(1, "35.1-36.0");
        } else if (tenths <= 380) {
            return new Band(0, "36.1-38.0");
        } else if (tenths <= 390) {
            return new Band(1, "38.1-39.0");
        }
        return new Band(2, ">= 39.1");
    }
}
