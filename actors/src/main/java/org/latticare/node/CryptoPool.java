package org.latticare.node;

import java.util.concurrent.ForkJoinPool;

/**
 * The JVM's one pool for signature work (ML-DSA verification in admission and block validation),
 * sized to the cores: every node in this JVM shares it, so three embedded nodes do not run three
 * pools' worth of threads on two cores.
 */
public final class CryptoPool {

  /** Every pool thread's name starts so (the ledger benchmark counts their CPU). */
  public static final String THREAD_PREFIX = "latticare-crypto-";

  private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
      pool -> {
        var thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName(THREAD_PREFIX + thread.getPoolIndex());
        thread.setDaemon(true);
        return thread;
      }, null, false);

  private CryptoPool() {}

  public static ForkJoinPool shared() {
    return POOL;
  }
}
