package org.latticare.node;

import java.util.concurrent.ForkJoinPool;

/**
 * The JVM's one pool for signature work (ML-DSA verification in admission and block validation),
 * sized to the cores: every node in this JVM shares it, so three embedded nodes do not run three
 * pools' worth of threads on two cores.
 */
public final class CryptoPool {

  private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
      pool -> {
        var thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("latticare-crypto-" + thread.getPoolIndex());
        thread.setDaemon(true);
        return thread;
      }, null, false);

  private CryptoPool() {}

  public static ForkJoinPool shared() {
    return POOL;
  }
}
