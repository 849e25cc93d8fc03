package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * D and its p-value against scipy 1.17. Small samples: {@code scipy.stats.ks_2samp(x, y, method='exact')}, which is
 * P(D >= d) like ours (tolerance 1e-12). Large samples (m n >= 10000): Commons Math's asymptotic p-value is the
 * limiting Kolmogorov distribution, {@code scipy.stats.kstwobign.sf(sqrt(m n / (m + n)) d)} (tolerance 1e-12);
 * scipy's own {@code ks_2samp(method='asymp')} uses the finite-n distribution {@code kstwo(round(m n / (m + n)))}
 * instead and lies within 0.02 of it here, which is checked too.
 */
class KolmogorovSmirnovTwoSampleTest {
    static final double TOLERANCE = 1e-12;

    @Test
    void smallSamplesGetTheExactPValue() {
        // python3 -c "from scipy.stats import ks_2samp; r=ks_2samp([0.61,1.32,2.05,2.47,3.18,3.96,4.4,5.72],[1.9,2.63,3.35,4.12,4.85,5.21,5.94,6.38,7.07,8.5],method='exact'); print(repr(r.statistic),repr(r.pvalue))"
        // -> 0.475 0.20366561543032125
        double[] x = {0.61, 1.32, 2.05, 2.47, 3.18, 3.96, 4.4, 5.72};
        double[] y = {1.9, 2.63, 3.35, 4.12, 4.85, 5.21, 5.94, 6.38, 7.07, 8.5};
        KolmogorovSmirnov.Result r = KolmogorovSmirnov.test(x, y);
        assertTrue(r.exact());
        assertEquals(0.475, r.d(), TOLERANCE);
        assertEquals(0.20366561543032125, r.pValue(), TOLERANCE);
    }

    @Test
    void tiesAreKeptNotJitteredSoTheResultIsScipysAndRepeatable() {
        // python3 -c "from scipy.stats import ks_2samp; r=ks_2samp([1,2,2,3,3,3,4,5,5,6],[2,3,4,4,5,5,6,7,8,8,9,12],method='exact'); print(repr(r.statistic),repr(r.pvalue))"
        // -> 0.43333333333333335 0.18629667546076212 (Commons Math's kolmogorovSmirnovTest(x, y, false) jitters
        // the ties and reports 0.0617 here)
        double[] x = {1, 2, 2, 3, 3, 3, 4, 5, 5, 6};
        double[] y = {2, 3, 4, 4, 5, 5, 6, 7, 8, 8, 9, 12};
        KolmogorovSmirnov.Result r = KolmogorovSmirnov.test(x, y);
        assertEquals(0.43333333333333335, r.d(), TOLERANCE);
        assertEquals(0.18629667546076212, r.pValue(), TOLERANCE);
    }

    @Test
    void largeSamplesGetTheAsymptoticPValue() {
        // x_i = (37 i mod 101) / 10 for i < 100, y_j = (53 j mod 97) / 10 + shift for j < 120 (no ties):
        // python3 -c "import numpy as np; from scipy.stats import ks_2samp, kstwobign; x=[(i*37%101)/10 for i in range(100)]; y=[(j*53%97)/10+0.55 for j in range(120)]; r=ks_2samp(x,y,method='asymp'); print(repr(r.statistic), repr(kstwobign.sf(np.sqrt(100*120/220)*r.statistic)), repr(r.pvalue))"
        // shift 0.55 -> 0.06 0.9894317623503044 (ks_2samp asymp 0.9820922623818039)
        // shift 1.55 -> 0.16 0.122479703821105  (ks_2samp asymp 0.10699414523932094)
        double[] x = new double[100];
        for (int i = 0; i < x.length; i++) x[i] = (i * 37 % 101) / 10.0;
        KolmogorovSmirnov.Result near = KolmogorovSmirnov.test(x, shifted(0.55));
        assertFalse(near.exact());
        assertEquals(0.06, near.d(), TOLERANCE);
        assertEquals(0.9894317623503044, near.pValue(), TOLERANCE);
        assertEquals(0.9820922623818039, near.pValue(), 0.02);

        KolmogorovSmirnov.Result far = KolmogorovSmirnov.test(x, shifted(1.55));
        assertEquals(0.16, far.d(), TOLERANCE);
        assertEquals(0.122479703821105, far.pValue(), TOLERANCE);
        assertEquals(0.10699414523932094, far.pValue(), 0.02);
    }

    private static double[] shifted(double shift) {
        double[] y = new double[120];
        for (int j = 0; j < y.length; j++) y[j] = (j * 53 % 97) / 10.0 + shift;
        return y;
    }
}
