package org.latticare.node.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.japi.function.Function;
import akka.pattern.StatusReply;
import org.latticare.cluster.Stages;
import org.latticare.node.LatticareNode.NodeRefs;

/**
 * How every route asks the node's actors: with the configured {@code ask-timeout}, its outcome handed
 * on the completing thread ({@link Stages#direct}), so that no route starts a thread per request.
 */
final class NodeAsks {

  private final ActorSystem<?> system;
  private final NodeRefs node;

  NodeAsks(ActorSystem<?> system, NodeRefs node) {
    this.system = system;
    this.node = node;
  }

  ActorSystem<?> system() {
    return system;
  }

  NodeRefs node() {
    return node;
  }

  Duration timeout() {
    return node.settings().askTimeout();
  }

  <Req, Res> CompletionStage<Res> ask(RecipientRef<Req> target, Function<ActorRef<Res>, Req> message) {
    return ask(target, message, timeout());
  }

  /** An ask that may take {@code timeout}, e.g. a long poll: longer than {@link #timeout()}. */
  <Req, Res> CompletionStage<Res> ask(RecipientRef<Req> target, Function<ActorRef<Res>, Req> message, Duration timeout) {
    return Stages.direct(AskPattern.ask(target, message, timeout, system.scheduler()));
  }

  <Req, Res> CompletionStage<Res> askWithStatus(RecipientRef<Req> target,
      Function<ActorRef<StatusReply<Res>>, Req> message) {
    return Stages.direct(AskPattern.askWithStatus(target, message, timeout(), system.scheduler()));
  }
}
