package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Against {@code scipy.spatial.distance.cosine} of the numpy row means (scipy 1.17); tolerance 1e-6 (float input). */
class CentroidDistanceTest {
    static final double TOLERANCE = 1e-6;

    @Test
    void cosineDistanceOfTheMeanVectors() {
        // python3 -c "import numpy as np; from scipy.spatial.distance import cosine; A=np.array([[1,2,0],[3,0,1],[2,2,2]]); B=np.array([[0,1,3],[1,0,2]]); print(repr(cosine(A.mean(0),B.mean(0))))"
        // -> 0.3839822742045227
        List<float[]> a = List.of(new float[]{1, 2, 0}, new float[]{3, 0, 1}, new float[]{2, 2, 2});
        List<float[]> b = List.of(new float[]{0, 1, 3}, new float[]{1, 0, 2});
        assertArrayEquals(new double[]{2, 4 / 3.0, 1}, CentroidDistance.centroid(a), 1e-12);
        assertEquals(0.3839822742045227, CentroidDistance.between(a, b), TOLERANCE);
    }

    @Test
    void centroidsPointingApartAreMoreThanOneApart() {
        // python3 -c "import numpy as np; from scipy.spatial.distance import cosine; C=np.array([[0.2,-0.5,0.1,0.9],[0.4,-0.1,0.3,0.7],[0.1,-0.3,0.2,0.8]]); D=np.array([[-0.6,0.2,0.5,0.1],[-0.2,0.4,0.9,-0.3]]); print(repr(cosine(C.mean(0),D.mean(0))))"
        // -> 1.15684444425774
        List<float[]> c = List.of(new float[]{0.2f, -0.5f, 0.1f, 0.9f}, new float[]{0.4f, -0.1f, 0.3f, 0.7f},
                new float[]{0.1f, -0.3f, 0.2f, 0.8f});
        List<float[]> d = List.of(new float[]{-0.6f, 0.2f, 0.5f, 0.1f}, new float[]{-0.2f, 0.4f, 0.9f, -0.3f});
        assertEquals(1.15684444425774, CentroidDistance.between(c, d), TOLERANCE);
        assertEquals(0.0, CentroidDistance.between(c, c), 1e-12);
    }

    @Test
    void mismatchedOrZeroVectorsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CentroidDistance.between(List.of(new float[]{1, 2}), List.of(new float[]{1, 2, 3})));
        assertThrows(IllegalArgumentException.class,
                () -> CentroidDistance.between(List.of(new float[]{0, 0}), List.of(new float[]{1, 2})));
        assertThrows(IllegalArgumentException.class, () -> CentroidDistance.between(List.of(), List.of()));
    }
}
