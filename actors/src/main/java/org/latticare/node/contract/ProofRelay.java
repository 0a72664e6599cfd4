package org.latticare.node.contract;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.latticare.node.contract.PatientGateway.ProofAnswer;
import org.latticare.node.contract.PatientGateway.ProofEvent;
import org.latticare.node.contract.PatientGateway.ProofEvents;
import org.latticare.node.contract.PatientGateway.ProofOpening;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.identity.IdentitySettings;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.wire.Decoded;

/**
 * What a patient's gateway keeps of the patient's proof sessions, and every decision about them, without an
 * actor: the gateway only moves messages ({@link PatientGateway}), and this class is tested on its own.
 *
 * <p>A session opens ({@link #open}), the identity contract says it {@code Opened} once every seat is taken (or
 * refused it), and the opener hears of it at once; then the contract sends challenges, a new ring
 * if it lost a verifier (another {@code Opened}, under the protocol session {@code <session>/<n>}), and how it
 * {@code Finished}; those are the session's events, numbered from 0 and kept in a buffer
 * of {@code max-events} (a full one drops its oldest challenge: a prover only ever answers the latest). A poll
 * ({@link #poll}) gets the events after the index it names at once, or waits for the next one; the prover's
 * frames ({@link #frame}) are relayed only if they are a commitment or response of that session. A token is
 * handed out once for a session that ended {@code IDENTIFIED} ({@link #claim}). Memory is bounded: at most
 * {@code max-sessions} sessions are open at once and as many finished ones kept, each for
 * {@code keep-finished}; a session the contract never ended is dropped after its timeout and that again.
 * Nothing survives a restart of the gateway, and nothing needs to: a prover whose session is gone opens another.
 */
final class ProofRelay {

  /** Stable codes of the gateway's refusals; the API answers with them. */
  static final String UNKNOWN_SESSION = "UNKNOWN_SESSION";
  static final String SESSION_ENDED = "SESSION_ENDED";
  static final String BAD_FRAME = "BAD_FRAME";
  static final String TOO_MANY_SESSIONS = "TOO_MANY_SESSIONS";
  static final String NOT_FINISHED = "NOT_FINISHED";
  static final String TOKEN_ALREADY_ISSUED = "TOKEN_ALREADY_ISSUED";

  private static final class Session {
    final String id;
    final long openedAtMillis;
    Consumer<ProofOpening> opener;
    IdentificationParameters parameters;
    /** The session the prover's frames must carry: the session's id, or {@code id/n} on its n-th re-formed ring. */
    String protocolSession;
    final ArrayDeque<ProofEvent> events = new ArrayDeque<>();
    int nextIndex;
    IdentityContract.Finished finished;
    long finishedAtMillis;
    boolean tokenClaimed;
    final Map<Long, Poll> polls = new LinkedHashMap<>();

    Session(String id, long openedAtMillis, Consumer<ProofOpening> opener) {
      this.id = id;
      this.openedAtMillis = openedAtMillis;
      this.opener = opener;
    }

    List<ProofEvent> after(int index) {
      return events.stream().filter(e -> e.index() > index).toList();
    }

    /** Whether its prover was told it is open: before that, no request can name it. */
    boolean told() {
      return parameters != null && opener == null;
    }
  }

  private record Poll(int after, Consumer<ProofEvents> reply) {}

  private final IdentitySettings.Gateway limits;
  private final Duration sessionTimeout;
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  /** @param sessionTimeout the identity contract's: a session it has not ended by then never will be */
  ProofRelay(IdentitySettings.Gateway limits, Duration sessionTimeout) {
    this.limits = limits;
    this.sessionTimeout = sessionTimeout;
  }

  boolean isEmpty() {
    return sessions.isEmpty();
  }

  /** Starts keeping {@code session}, which {@code opener} hears of once opened; or why it may not open. */
  Optional<String> open(String session, long nowMillis, Consumer<ProofOpening> opener) {
    long open = sessions.values().stream().filter(s -> s.finished == null).count();
    if (open >= limits.maxSessions()) {
      return Optional.of(TOO_MANY_SESSIONS);
    }
    sessions.put(session, new Session(session, nowMillis, opener));
    return Optional.empty();
  }

  /** What the identity contract told the prover. Events of sessions not kept (forgotten, or never opened here) are dropped. */
  void onEvent(IdentityContract.ProverEvent event, long nowMillis) {
    Session session = sessions.get(sessionOf(event.session()));
    if (session == null || session.finished != null) {
      return;
    }
    if (event instanceof IdentityContract.Opened opened) {
      session.parameters = IdentificationParameters.byId(opened.parameterSet());
      session.protocolSession = opened.session();
      if (session.opener != null) {
        // the contract says so once every seat is taken: a full verifier's refusal would have come instead
        answerOpener(session, new ProofOpening(session.id, opened, null, null));
      } else {
        add(session, new ProofEvent(session.nextIndex++, null, opened, null));
      }
    } else if (event instanceof IdentityContract.Finished finished && session.opener != null) {
      answerOpener(session, new ProofOpening(session.id, null, finished.code(), finished.detail()));
      sessions.remove(session.id);
    } else if (event instanceof IdentityContract.Challenge challenge
        && challenge.session().equals(session.protocolSession)) {
      add(session, new ProofEvent(session.nextIndex++, challenge.frame(), null, null));
    } else if (event instanceof IdentityContract.Finished finished) {
      session.finished = finished;
      session.finishedAtMillis = nowMillis;
      add(session, new ProofEvent(session.nextIndex++, null, null, finished));
      forgetFinishedBeyondLimit();
    }
  }

  /** The session a protocol session belongs to: {@code id/n} is the n-th re-formed ring of session {@code id}. */
  static String sessionOf(String protocolSession) {
    int slash = protocolSession.indexOf('/');
    return slash < 0 ? protocolSession : protocolSession.substring(0, slash);
  }

  private static void answerOpener(Session session, ProofOpening opening) {
    if (session.opener != null) {
      session.opener.accept(opening);
      session.opener = null;
    }
  }

  private void add(Session session, ProofEvent event) {
    if (session.events.size() >= limits.maxEvents()) {
      session.events.removeFirst();
    }
    session.events.addLast(event);
    List<Poll> waiting = new ArrayList<>(session.polls.values());
    session.polls.clear();
    for (Poll poll : waiting) {
      poll.reply().accept(new ProofEvents(session.id, null, null, session.after(poll.after())));
    }
  }

  /** Finished sessions are kept for their token; beyond {@code max-sessions} of them the oldest are let go. */
  private void forgetFinishedBeyondLimit() {
    long finished = sessions.values().stream().filter(s -> s.finished != null).count();
    Iterator<Session> oldestFirst = sessions.values().iterator();
    while (finished > limits.maxSessions() && oldestFirst.hasNext()) {
      Session session = oldestFirst.next();
      if (session.finished != null) {
        oldestFirst.remove();
        endPolls(session);
        finished--;
      }
    }
  }

  /**
   * Whether the prover's {@code frame} may go to the session's ring: a commitment or a response of that very
   * session on its current ring, in the canonical encoding of its parameter set. Empty: relay it; else why not.
   */
  Optional<ProofAnswer> frame(String sessionId, byte[] frame) {
    Session session = sessions.get(sessionId);
    if (session == null || !session.told()) {
      return Optional.of(unknown(sessionId));
    }
    if (session.finished != null) {
      return Optional.of(new ProofAnswer(SESSION_ENDED, "session " + sessionId + " ended: " + session.finished.code(),
          null));
    }
    Decoded<Message> decoded = MessageCodec.decode(session.parameters, frame);
    if (!decoded.ok()) {
      return Optional.of(new ProofAnswer(BAD_FRAME, "not a canonical frame of " + session.parameters.name() + ": "
          + decoded, null));
    }
    Message message = decoded.orElseThrow();
    if (!(message instanceof RingChallengeIdentification.Commitment
        || message instanceof RingChallengeIdentification.Response)) {
      return Optional.of(new ProofAnswer(BAD_FRAME, "a prover sends commitments and responses, not a "
          + message.getClass().getSimpleName(), null));
    }
    if (!session.protocolSession.equals(message.session())) {
      return Optional.of(new ProofAnswer(BAD_FRAME, "the frame is of session " + message.session() + ", not of "
          + session.protocolSession + " (the session's ring now)", null));
    }
    return Optional.empty();
  }

  /**
   * Answers {@code reply} with the session's events after index {@code after} at once when there are some, the
   * session has ended or is not kept; otherwise keeps it until the next event or {@link #pollExpired}. Returns
   * whether it was kept.
   */
  boolean poll(String sessionId, int after, long pollId, Consumer<ProofEvents> reply) {
    Session session = sessions.get(sessionId);
    if (session == null || !session.told()) {
      ProofAnswer unknown = unknown(sessionId);
      reply.accept(new ProofEvents(sessionId, unknown.code(), unknown.detail(), List.of()));
      return false;
    }
    List<ProofEvent> events = session.after(after);
    if (!events.isEmpty() || session.finished != null) {
      reply.accept(new ProofEvents(sessionId, null, null, events));
      return false;
    }
    session.polls.put(pollId, new Poll(after, reply));
    return true;
  }

  /** A poll waited as long as it may: it is answered with no event. */
  void pollExpired(String sessionId, long pollId) {
    Session session = sessions.get(sessionId);
    Poll poll = session == null ? null : session.polls.remove(pollId);
    if (poll != null) {
      poll.reply().accept(new ProofEvents(sessionId, null, null, List.of()));
    }
  }

  /** The session's outcome, once, if it ended {@code IDENTIFIED}: what a token is issued on. */
  ProofAnswer claim(String sessionId) {
    Session session = sessions.get(sessionId);
    if (session == null || !session.told()) {
      return unknown(sessionId);
    }
    if (session.finished == null) {
      return new ProofAnswer(NOT_FINISHED, "session " + sessionId + " has not ended yet", null);
    }
    if (!session.finished.identified()) {
      return new ProofAnswer(IdentityContract.NOT_IDENTIFIED, "session " + sessionId + " ended "
          + session.finished.code() + ": " + session.finished.detail(), null);
    }
    if (session.tokenClaimed) {
      return new ProofAnswer(TOKEN_ALREADY_ISSUED, "the token of session " + sessionId + " was issued already", null);
    }
    session.tokenClaimed = true;
    return new ProofAnswer(null, null, session.finished);
  }

  /** Forgets sessions finished {@code keep-finished} ago, and those the contract never ended; their polls get no event. */
  void sweep(long nowMillis) {
    long keep = limits.keepFinished().toMillis();
    long abandoned = sessionTimeout.toMillis() + keep;
    Iterator<Session> all = sessions.values().iterator();
    while (all.hasNext()) {
      Session session = all.next();
      boolean done = session.finished != null
          ? nowMillis - session.finishedAtMillis >= keep
          : nowMillis - session.openedAtMillis >= abandoned;
      if (done) {
        all.remove();
        endPolls(session);
      }
    }
  }

  private static void endPolls(Session session) {
    for (Poll poll : session.polls.values()) {
      poll.reply().accept(new ProofEvents(session.id, null, null, List.of()));
    }
    session.polls.clear();
  }

  private static ProofAnswer unknown(String sessionId) {
    return new ProofAnswer(UNKNOWN_SESSION, "no proof session " + sessionId + " of this patient is kept (it never"
        + " opened, or ended a while ago)", null);
  }
}
