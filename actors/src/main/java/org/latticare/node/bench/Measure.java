package org.latticare.node.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/** What the benchmarks measure the same way: single-thread costs, medians, percentiles, the JVM's CPU. */
final class Measure {

  private Measure() {}

  /**
   * Median of five rounds' medians of 2,000 single-threaded runs each, after 10 s of them to warm up
   * (with less, the JIT is still improving the code and the cost comes out too high). The operation
   * returns whether it succeeded, so a benchmark that measures a failing check fails instead.
   */
  static double microsPerOperation(BooleanSupplier operation) {
    double[] rounds = new double[5];
    long warmUntil = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      if (!operation.getAsBoolean()) {
        throw new IllegalStateException("the measured operation failed");
      }
    }
    for (int round = 0; round < rounds.length; round++) {
      long[] samples = new long[2000];
      for (int i = 0; i < samples.length; i++) {
        long start = System.nanoTime();
        operation.getAsBoolean();
        samples[i] = System.nanoTime() - start;
      }
      rounds[round] = median(Arrays.stream(samples).asDoubleStream().toArray()) / 1e3;
    }
    return median(rounds);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
