package org.latticare.node.identity;

import java.time.Duration;

import com.typesafe.config.Config;

/**
 * Settings of identification sessions ({@code latticare.identity}), read once.
 *
 * @param maxSessions    sessions one verifier sits in at once; a join beyond it is refused ({@code RING_BUSY})
 * @param sessionTimeout a session without a decision by then ends, on the contract and on every verifier
 * @param passTimeout    a round whose challenge has not come back by then was stalled by a lost verifier: the
 *                       contract re-forms the session's ring and the prover starts again, once
 * @param rounds         rounds T of the sound protocol (one suffices with a 2^128 challenge space)
 * @param maxAttempts    restarts by rejection sampling after which a verifier gives up on a round
 * @param seedEnabled    whether this node runs the paper's protocol as written ({@code seed}: broken, anyone passes)
 * @param seedRounds     rounds T of the seed protocol
 * @param seedDimension  dimension m of its vectors {@code w, V_i}
 * @param gateway        how a patient's gateway relays its proof sessions over HTTP
 * @param tokenTtl       how long a token issued after a proof opens the patient's views
 * @param loginNonceTtl  how long a nonce for a non-interactive login proof may be used
 * @param maxLoginNonces spent login nonces a front remembers (until they expire) at most
 */
public record IdentitySettings(int maxSessions, Duration sessionTimeout, Duration passTimeout, int rounds,
    int maxAttempts, boolean seedEnabled, int seedRounds, int seedDimension, Gateway gateway, Duration tokenTtl,
    Duration loginNonceTtl, int maxLoginNonces) {

  /**
   * @param maxSessions  proof sessions of one patient open at once
   * @param maxEvents    events (challenges, rings and the outcome) a session keeps for its prover; the oldest challenge
   *                     goes first
   * @param keepFinished how long a finished session is kept for its last events and its token
   * @param maxPollWait  the longest a poll for a session's events waits for one
   */
  public record Gateway(int maxSessions, int maxEvents, Duration keepFinished, Duration maxPollWait) {
    public Gateway {
      if (maxSessions < 1 || maxEvents < 2) {
        throw new IllegalArgumentException("identity.gateway.max-sessions must be positive and max-events at least 2");
      }
    }
  }

  public IdentitySettings {
    if (maxSessions < 1 || rounds < 1 || maxAttempts < 1 || seedRounds < 1 || seedDimension < 1
        || maxLoginNonces < 1) {
      throw new IllegalArgumentException("identity.max-sessions, rounds, max-attempts and max-login-nonces must be"
          + " positive");
    }
  }

  public static IdentitySettings from(Config config) {
    Config c = config.getConfig("latticare.identity");
    Config g = c.getConfig("gateway");
    return new IdentitySettings(c.getInt("max-sessions"), c.getDuration("session-timeout"),
        c.getDuration("pass-timeout"), c.getInt("rounds"), c.getInt("max-attempts"), c.getBoolean("seed.enabled"),
        c.getInt("seed.rounds"), c.getInt("seed.dimension"),
        new Gateway(g.getInt("max-sessions"), g.getInt("max-events"), g.getDuration("keep-finished"),
            g.getDuration("max-poll-wait")),
        c.getDuration("token-ttl"), c.getDuration("login-nonce-ttl"), c.getInt("max-login-nonces"));
  }
}
