package org.latticare.node.cli;

import java.util.concurrent.ForkJoinPool;

/**
 * The JDK sizes the common fork-join pool at one thread less than the cores, and when that leaves
 * one thread (a 2-core machine or container) {@code CompletableFuture}'s async stages without an
 * executor stop using the pool and start a new thread for every task. Akka HTTP's Java API and the
 * JDK's HTTP client both run such stages, so on 2 cores a node started thousands of threads a
 * minute under load. Two threads keep the pool in use; an operator's own setting wins.
 */
final class CommonPool {

  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private CommonPool() {}

  /** Must run before anything touches {@link ForkJoinPool}: the setting is read once, at class initialisation. */
  static void atLeastTwoThreads() {
    if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(PARALLELISM, "2");
    }
  }
}
