package dev.anvil.gateway.drift;

import java.util.List;

/**
 * How far apart two sets of embeddings lie: the cosine distance {@code 1 - cos(a, b)} between their centroids (the
 * mean vectors), in [0, 2]; 0 when the centroids point the same way. A shift of topic or language moves the
 * centroid of a window's prompt embeddings away from the reference's.
 */
public final class CentroidDistance {
    private CentroidDistance() {
    }

    public static double between(List<float[]> reference, List<float[]> live) {
        return cosineDistance(centroid(reference), centroid(live));
    }

    /** The mean vector; all vectors of one length. */
    public static double[] centroid(List<float[]> vectors) {
        if (vectors.isEmpty()) throw new IllegalArgumentException("no vectors");
        int dimensions = vectors.get(0).length;
        double[] sum = new double[dimensions];
        for (float[] vector : vectors) {
            if (vector.length != dimensions) {
                throw new IllegalArgumentException("vectors of " + dimensions + " and " + vector.length + " dimensions");
            }
            for (int i = 0; i < dimensions; i++) sum[i] += vector[i];
        }
        for (int i = 0; i < dimensions; i++) sum[i] /= vectors.size();
        return sum;
    }

    public static double cosineDistance(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " and " + b.length + " dimensions");
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa == 0 || bb == 0) throw new IllegalArgumentException("a zero vector has no direction");
        return 1 - dot / Math.sqrt(aa * bb);
    }
}
