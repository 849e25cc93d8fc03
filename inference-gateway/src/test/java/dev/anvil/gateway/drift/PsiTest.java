package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * PSI against numpy: bins at the reference's deciles (np.quantile, linear), repeated edges dropped, bins
 * [lower, upper) found with np.searchsorted(side='right'), shares floored at epsilon 1e-4, natural logarithm.
 * Expected values come from this one-liner, with R and L the samples below (tolerance 1e-12):
 * <pre>
 * python3 -c "import numpy as np; r=np.array(R,float); l=np.array(L,float); e=np.unique(np.quantile(r,np.arange(1,10)/10)); s=lambda x: np.maximum(np.bincount(np.searchsorted(e,x,side='right'),minlength=len(e)+1)/len(x),1e-4); p,q=s(r),s(l); print(e, repr(np.sum((q-p)*np.log(q/p))))"
 * </pre>
 */
class PsiTest {
    static final double TOLERANCE = 1e-12;
    /** Prompt lengths in tokens, no ties. */
    static final double[] REFERENCE = {12, 15, 18, 20, 22, 25, 27, 30, 31, 33, 35, 38, 40, 41, 45, 48, 52, 55, 60, 70};

    @Test
    void theBinsAreTheReferenceDeciles() {
        // e = [17.7, 21.6, 26.4, 30.6, 34., 38.8, 42.2, 48.8, 55.5]
        assertArrayEquals(new double[]{17.7, 21.6, 26.4, 30.6, 34.0, 38.8, 42.2, 48.8, 55.5},
                Psi.ofReference(REFERENCE).edges(), 1e-9);
        assertEquals(0.1, Psi.ofReference(REFERENCE).sharesOf(REFERENCE)[0], TOLERANCE);
    }

    @Test
    void aSampleLikeTheReferenceScoresLow() {
        // L = [13,19,21,26,29,32,34,39,44,50,58,65] -> 0.09241962407465937
        double[] live = {13, 19, 21, 26, 29, 32, 34, 39, 44, 50, 58, 65};
        assertEquals(0.09241962407465937, Psi.ofReference(REFERENCE).indexOf(live), TOLERANCE);
        assertEquals(0.0, Psi.ofReference(REFERENCE).indexOf(REFERENCE), TOLERANCE);
    }

    @Test
    void muchLongerPromptsEmptyMostBinsAndEachEmptyBinCountsAsEpsilon() {
        // L = [40,55,62,75,80,90,95,110,120,130] -> 6.286202345768094 (six of ten bins empty: share 1e-4 each)
        double[] live = {40, 55, 62, 75, 80, 90, 95, 110, 120, 130};
        Psi psi = Psi.ofReference(REFERENCE);
        assertEquals(6.286202345768094, psi.indexOf(live), TOLERANCE);
        assertEquals(Psi.EPSILON, psi.sharesOf(live)[0], 0.0);
    }

    @Test
    void tiesInADiscreteReferenceLeaveFewerBins() {
        // R = [3,4,4,4,4,5,5,5,5,5,6,6,7,8,9,9,10,12], L = [4,4,5,5,6,6,6,7,8,9,11,14]
        // e = [4., 5., 6., 6.9, 8.6, 9.3] -> 0.5888901546411932
        double[] reference = {3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 10, 12};
        double[] live = {4, 4, 5, 5, 6, 6, 6, 7, 8, 9, 11, 14};
        Psi psi = Psi.ofReference(reference);
        assertArrayEquals(new double[]{4, 5, 6, 6.9, 8.6, 9.3}, psi.edges(), 1e-9);
        assertEquals(0.5888901546411932, psi.indexOf(live), TOLERANCE);
    }

    @Test
    void valuesAboveAReferenceWhoseTopDecileIsOneValueGetABinOfTheirOwn() {
        // A rare-token share that is 0 throughout the reference: without the extra edge every value would share 0's
        // bin and the index would be 0. numpy, the edge appended when e[-1] == max(R):
        // R = 20 zeros, L = [0]*6 + [0.2]*4; e = [0, nextafter(0, 1)] -> 3.521120700583197
        double[] reference = new double[20];
        double[] live = {0, 0, 0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2};
        Psi psi = Psi.ofReference(reference);
        assertArrayEquals(new double[]{0, Double.MIN_VALUE}, psi.edges(), 0.0);
        assertEquals(3.521120700583197, psi.indexOf(live), TOLERANCE);
    }

    @Test
    void emptySamplesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Psi.ofReference(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Psi.ofReference(REFERENCE).indexOf(new double[0]));
    }
}
