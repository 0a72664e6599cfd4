package org.latticare.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Completion stages from Akka's Java API (asks, stream materialisations) run even their non-async
 * continuations ({@code thenApply}, {@code handle}, …) on CompletableFuture's default executor, and
 * on a machine with fewer than three cores that executor starts a new thread for every task: one
 * thread per HTTP request or per committed transaction a client waits for. {@link #direct} hands the
 * outcome to a plain {@link CompletableFuture} on the completing thread, so what follows runs there.
 */
public final class Stages {

  private Stages() {}

  public static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure == null) {
        plain.complete(value);
      } else {
        plain.completeExceptionally(failure);
      }
    }, Runnable::run);
    return plain;
  }
}
