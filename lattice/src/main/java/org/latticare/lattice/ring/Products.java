package org.latticare.lattice.ring;

/**
 * The one matrix-product loop behind {@code A·B}, {@code A·v}, {@code v^T·A} and dot products: prepared
 * operands, wide accumulators, one reduction per {@link Ring#accumulationBudget()} inner terms.
 */
final class Products {

    private Products() {
    }

    /**
     * {@code C = A·B} with {@code A} of size {@code rows × inner} and {@code B} of size
     * {@code inner × cols}, both prepared by {@link Ring#prepare}, row-major. Returns C in coefficient
     * form. B is walked row by row, so the loop reads both operands sequentially.
     */
    static long[] multiply(Ring ring, long[] aPrepared, long[] bPrepared, int rows, int inner, int cols) {
        int n = ring.degree();
        int width = ring.accumulatorWidth();
        int budget = ring.accumulationBudget();
        long[] out = new long[rows * cols * n];
        long[] acc = new long[cols * width];
        for (int i = 0; i < rows; i++) {
            java.util.Arrays.fill(acc, 0L);
            int sinceReduction = 0;
            for (int j = 0; j < inner; j++) {
                if (sinceReduction == budget) {
                    for (int k = 0; k < cols; k++) {
                        ring.reduceAccumulator(acc, k * width);
                    }
                    // a reduced cell still holds up to q-1, which the budget's head-room absorbs
                    sinceReduction = 0;
                }
                int aOff = (i * inner + j) * n;
                if (ring.pointwiseLazy()) {
                    // the hot loop of every product: one fused pass over a row of B, no calls, no reduction
                    int bOff = j * cols * n;
                    int total = cols * n;
                    if (n == 1) {
                        long a = aPrepared[aOff];
                        for (int x = 0; x < total; x++) {
                            acc[x] += a * bPrepared[bOff + x];
                        }
                    } else {
                        for (int k = 0; k < cols; k++) {
                            int accOff = k * n;
                            int bk = bOff + accOff;
                            for (int t = 0; t < n; t++) {
                                acc[accOff + t] += aPrepared[aOff + t] * bPrepared[bk + t];
                            }
                        }
                    }
                } else {
                    for (int k = 0; k < cols; k++) {
                        ring.multiplyAccumulate(acc, k * width, aPrepared, aOff, bPrepared, (j * cols + k) * n);
                    }
                }
                sinceReduction++;
            }
            for (int k = 0; k < cols; k++) {
                ring.finishAccumulator(acc, k * width, out, (i * cols + k) * n);
            }
        }
        return out;
    }
}
