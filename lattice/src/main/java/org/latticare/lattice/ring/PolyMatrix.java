package org.latticare.lattice.ring;

import java.util.Arrays;
import java.util.Objects;

/**
 * A matrix in {@code R_q^{rows × cols}}, immutable, row-major. For {@code N = 1} it is a plain matrix
 * over {@code Z_q}, the paper's {@code A ∈ Z_q^{n×m}}. The prepared (NTT) form is computed once, on
 * first use, and reused by every later product: a public matrix is transformed once per key, not once
 * per encryption.
 */
public final class PolyMatrix {

    private final Ring ring;
    private final int rows;
    private final int cols;
    private final long[] flat;
    private volatile long[] prepared;

    PolyMatrix(Ring ring, int rows, int cols, long[] flat) {
        this.ring = ring;
        this.rows = rows;
        this.cols = cols;
        this.flat = flat;
    }

    public static PolyMatrix zero(Ring ring, int rows, int cols) {
        return new PolyMatrix(ring, rows, cols, new long[rows * cols * ring.degree()]);
    }

    public static PolyMatrix identity(Ring ring, int size) {
        long[] flat = new long[size * size * ring.degree()];
        for (int i = 0; i < size; i++) {
            flat[(i * size + i) * ring.degree()] = 1;
        }
        return new PolyMatrix(ring, size, size, flat);
    }

    /**
     * The matrix whose entry {@code (i, j)} has coefficients
     * {@code coefficients[((i·cols + j)·N) .. +N)}; any signed values, reduced mod q.
     */
    public static PolyMatrix ofCoefficients(Ring ring, int rows, int cols, long... coefficients) {
        if (coefficients.length != rows * cols * ring.degree()) {
            throw new IllegalArgumentException("expected " + rows * cols * ring.degree() + " coefficients");
        }
        long[] flat = coefficients.clone();
        ring.reduceAll(flat);
        return new PolyMatrix(ring, rows, cols, flat);
    }

    /** The matrix whose rows are the given vectors (all of one length). */
    public static PolyMatrix ofRows(PolyVector... rowVectors) {
        Ring ring = rowVectors[0].ring();
        int cols = rowVectors[0].length();
        int rowLength = cols * ring.degree();
        long[] flat = new long[rowVectors.length * rowLength];
        for (int i = 0; i < rowVectors.length; i++) {
            if (!rowVectors[i].ring().equals(ring) || rowVectors[i].length() != cols) {
                throw new IllegalArgumentException("rows of different shapes");
            }
            System.arraycopy(rowVectors[i].residues(), 0, flat, i * rowLength, rowLength);
        }
        return new PolyMatrix(ring, rowVectors.length, cols, flat);
    }

    public Ring ring() {
        return ring;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public Poly get(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        int n = ring.degree();
        int off = (i * cols + j) * n;
        return new Poly(ring, Arrays.copyOfRange(flat, off, off + n));
    }

    public PolyVector row(int i) {
        Objects.checkIndex(i, rows);
        int rowLength = cols * ring.degree();
        return new PolyVector(ring, cols, Arrays.copyOfRange(flat, i * rowLength, (i + 1) * rowLength));
    }

    public PolyVector column(int j) {
        Objects.checkIndex(j, cols);
        int n = ring.degree();
        long[] r = new long[rows * n];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, (i * cols + j) * n, r, i * n, n);
        }
        return new PolyVector(ring, rows, r);
    }

    /** All coefficients, row-major, as residues. */
    public long[] coefficients() {
        return flat.clone();
    }

    /** All coefficients, row-major, as centred representatives {@code mod± q}. */
    public long[] centeredCoefficients() {
        Modulus m = ring.modulus();
        long[] c = new long[flat.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.centered(flat[i]);
        }
        return c;
    }

    /** {@code A·v}. */
    public PolyVector multiply(PolyVector v) {
        requireRing(v.ring());
        if (v.length() != cols) {
            throw new IllegalArgumentException("A is " + rows + "×" + cols + ", v has length " + v.length());
        }
        return new PolyVector(ring, rows, Products.multiply(ring, prepared(), v.preparedFor(ring), rows, cols, 1));
    }

    /** {@code v^T·A}, as a vector of length {@code cols} (e.g. {@code s^T A} in LWE). */
    public PolyVector leftMultiply(PolyVector v) {
        requireRing(v.ring());
        if (v.length() != rows) {
            throw new IllegalArgumentException("A is " + rows + "×" + cols + ", v has length " + v.length());
        }
        return new PolyVector(ring, cols, Products.multiply(ring, v.preparedFor(ring), prepared(), 1, rows, cols));
    }

    /** {@code A·B}. */
    public PolyMatrix multiply(PolyMatrix b) {
        requireRing(b.ring);
        if (b.rows != cols) {
            throw new IllegalArgumentException("inner dimensions differ: " + cols + " vs " + b.rows);
        }
        long[] bPrepared = b.ring == ring ? b.prepared() : ring.prepare(b.flat, b.rows * b.cols);
        return new PolyMatrix(ring, rows, b.cols, Products.multiply(ring, prepared(), bPrepared, rows, cols, b.cols));
    }

    public PolyMatrix add(PolyMatrix b) {
        requireShape(b);
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.add(flat[i], b.flat[i]);
        }
        return new PolyMatrix(ring, rows, cols, r);
    }

    public PolyMatrix subtract(PolyMatrix b) {
        requireShape(b);
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.subtract(flat[i], b.flat[i]);
        }
        return new PolyMatrix(ring, rows, cols, r);
    }

    public PolyMatrix negate() {
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.negate(flat[i]);
        }
        return new PolyMatrix(ring, rows, cols, r);
    }

    public PolyMatrix transpose() {
        int n = ring.degree();
        long[] r = new long[flat.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                System.arraycopy(flat, (i * cols + j) * n, r, (j * rows + i) * n, n);
            }
        }
        return new PolyMatrix(ring, cols, rows, r);
    }

    /** {@code [this | right]}: same rows, columns appended. */
    public PolyMatrix concatColumns(PolyMatrix right) {
        requireRing(right.ring);
        if (right.rows != rows) {
            throw new IllegalArgumentException("row counts differ: " + rows + " vs " + right.rows);
        }
        int n = ring.degree();
        int newCols = cols + right.cols;
        long[] r = new long[rows * newCols * n];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols * n, r, i * newCols * n, cols * n);
            System.arraycopy(right.flat, i * right.cols * n, r, (i * newCols + cols) * n, right.cols * n);
        }
        return new PolyMatrix(ring, rows, newCols, r);
    }

    /** {@code [this ; below]}: same columns, rows appended. */
    public PolyMatrix concatRows(PolyMatrix below) {
        requireRing(below.ring);
        if (below.cols != cols) {
            throw new IllegalArgumentException("column counts differ: " + cols + " vs " + below.cols);
        }
        long[] r = Arrays.copyOf(flat, flat.length + below.flat.length);
        System.arraycopy(below.flat, 0, r, flat.length, below.flat.length);
        return new PolyMatrix(ring, rows + below.rows, cols, r);
    }

    /** Columns {@code [from, to)}. */
    public PolyMatrix columns(int from, int to) {
        Objects.checkFromToIndex(from, to, cols);
        int n = ring.degree();
        int w = to - from;
        long[] r = new long[rows * w * n];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, (i * cols + from) * n, r, i * w * n, w * n);
        }
        return new PolyMatrix(ring, rows, w, r);
    }

    /** {@code ‖A‖∞} over all coefficients of all entries (centred). */
    public long infinityNorm() {
        return Norms.infinityNorm(ring.modulus(), flat, 0, flat.length);
    }

    public boolean isZero() {
        for (long c : flat) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    long[] residues() {
        return flat;
    }

    long[] prepared() {
        long[] p = prepared;
        if (p == null) {
            p = ring.prepare(flat, rows * cols);
            prepared = p;
        }
        return p;
    }

    private void requireRing(Ring other) {
        if (!other.equals(ring)) {
            throw new IllegalArgumentException("operands in different rings: " + ring + " and " + other);
        }
    }

    private void requireShape(PolyMatrix b) {
        requireRing(b.ring);
        if (b.rows != rows || b.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: " + rows + "×" + cols + " vs " + b.rows + "×" + b.cols);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolyMatrix m && m.ring.equals(ring) && m.rows == rows && m.cols == cols
                && Arrays.equals(m.flat, flat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ring, rows, cols, Arrays.hashCode(flat));
    }

    @Override
    public String toString() {
        return "PolyMatrix[" + rows + "×" + cols + " over " + ring + "]";
    }
}
