package org.latticare.node.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the benchmarks measure the same way: single-thread costs, medians, percentiles, the JVM's CPU, the disk's
 * fsync.
 */
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

  /**
   * Median milliseconds of {@code writes} 4 KiB writes to a file in {@code dir}, each forced to the disk: what a
   * journal with fsync on waits for per persisted event on this disk, at this moment.
   */
  static double fsyncMillis(Path dir, int writes) throws IOException {
    Path file = Files.createTempFile(dir, "fsync", ".probe");
    double[] millis = new double[writes];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(4096);
      for (int i = 0; i < writes; i++) {
        block.rewind();
        long start = System.nanoTime();
        channel.write(block);
        channel.force(false);
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
    } finally {
      Files.delete(file);
    }
    return median(millis);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Where a thread's CPU goes, by its name; what no Java thread used (JIT, GC, LevelDB's compaction) is {@link #JVM}. */
  static final String VERIFY = "signature checks", AKKA = "front and actors", CLIENT = "HTTP client", OTHER = "other threads",
      JVM = "JIT, GC, native threads";

  static String group(String threadName) {
    if (threadName.startsWith("latticare-crypto")) {
      return VERIFY;
    }
    if (threadName.startsWith("latticare-")) {
      return AKKA;
    }
    return threadName.startsWith("HttpClient") ? CLIENT : OTHER;
  }

  /**
   * CPU nanoseconds per thread id, with the thread's group; threads that end between two snapshots
   * lose what they used, which then shows under {@link #JVM}.
   */
  static Map<Long, Map.Entry<String, Long>> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Map.Entry<String, Long>> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          cpu.put(info.getThreadId(), Map.entry(group(info.getThreadName()), nanos));
        }
      }
    }
    return cpu;
  }

  /** Adds what each group used between two snapshots to {@code into}, and the process's remainder as {@link #JVM}. */
  static void addCpuByGroup(Map<Long, Map.Entry<String, Long>> before, Map<Long, Map.Entry<String, Long>> after,
      long processNanos, Map<String, Long> into) {
    long threads = 0;
    for (var entry : after.entrySet()) {
      var earlier = before.get(entry.getKey());
      long used = entry.getValue().getValue() - (earlier == null ? 0 : earlier.getValue());
      threads += used;
      into.merge(entry.getValue().getKey(), used, Long::sum);
    }
    into.merge(JVM, Math.max(0, processNanos - threads), Long::sum);
  }

  /** The JVM's own threads that a flight recording does not sample, by what they do. */
  static final String JIT_THREADS = "JIT compiler threads", GC_THREADS = "GC threads";

  /**
   * CPU nanoseconds of the JIT's and the GC's threads, read from {@code /proc/self/task} (Linux; empty
   * elsewhere), at the kernel's 10 ms resolution.
   */
  static Map<String, Long> jvmThreadCpu() {
    Map<String, Long> cpu = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.forEach(task -> {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String group = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT_THREADS
              : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC_THREADS : null;
          if (group != null) {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime), counted from the state, field 3; in clock ticks of 10 ms
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            cpu.merge(group, ticks * 10_000_000L, Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // a thread that ended while being read
        }
      });
    } catch (IOException e) {
      return Map.of();
    }
    return cpu;
  }
}
