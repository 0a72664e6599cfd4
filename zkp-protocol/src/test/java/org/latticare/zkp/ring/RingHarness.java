package org.latticare.zkp.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.wire.Decoded;

/** Moves messages between the machines as the actors would, optionally through the byte encodings. */
final class RingHarness {

    static final List<MlDsa65.KeyPair> VERIFIER_KEYS = new ArrayList<>();

    static synchronized List<MlDsa65.KeyPair> verifierKeys(int n) {
        while (VERIFIER_KEYS.size() < n) {
            VERIFIER_KEYS.add(MlDsa65.generate());
        }
        return VERIFIER_KEYS.subList(0, n);
    }

    static RingMembers members(int n) {
        return new RingMembers(verifierKeys(n).stream().map(MlDsa65.KeyPair::publicKey).toList());
    }

    static MlDsa65.KeyPair signingKey(int i) {
        return verifierKeys(i + 1).get(i);
    }

    final IdentificationParameters p;
    final RingMembers members;
    final List<VerifierSession> verifiers = new ArrayList<>();
    VerdictTally tally;
    final List<Verdict> verdicts = new ArrayList<>();
    final List<Outcome.Refused<?, ?>> refusals = new ArrayList<>();
    final List<Message> log = new ArrayList<>();
    boolean throughBytes = true;
    /** Ring positions played by the test instead of their honest machines. */
    final Map<Integer, Function<Message, List<Message>>> adversaries = new HashMap<>();
    /** What the prover is shown of an issued challenge (a member may equivocate towards the prover). */
    UnaryOperator<ChallengeIssued> toProver = UnaryOperator.identity();

    RingHarness(IdentificationParameters p, IdentityKeyPair identity, int n, Settings settings, QuorumRule rule,
            String session, RandomSource random) {
        this.p = p;
        this.members = members(n);
        for (int i = 0; i < n; i++) {
            verifiers.add(VerifierSession.create(identity.publicKey(), members, i, signingKey(i), settings, session, random));
        }
        this.tally = VerdictTally.create(identity.publicKey(), members, rule, session);
    }

    /**
     * Runs until quiet. {@code prover} answers each message addressed to the prover (ChallengeIssued,
     * Verdict) with the messages it sends.
     */
    void run(List<Message> first, BiFunction<RingHarness, Message, List<Message>> prover) {
        Deque<Message> queue = new ArrayDeque<>(first);
        while (!queue.isEmpty()) {
            Message m = transport(queue.poll());
            log.add(m);
            if (m instanceof Commitment || m instanceof Response) {
                for (int i = 0; i < verifiers.size(); i++) {
                    queue.addAll(deliver(i, m));
                }
            } else if (m instanceof RingPass pass) {
                queue.addAll(deliver(pass.recipient(verifiers.size()), m));
            } else if (m instanceof ChallengeIssued) {
                for (int i = 0; i < verifiers.size(); i++) {
                    queue.addAll(deliver(i, m));
                }
                queue.addAll(prover.apply(this, toProver.apply((ChallengeIssued) m)));
            } else if (m instanceof Verdict v) {
                verdicts.add(v);
                var out = tally.onVerdict(v);
                note(out);
                tally = out.state();
            }
        }
    }

    List<Message> deliver(int i, Message m) {
        if (adversaries.containsKey(i)) {
            return adversaries.get(i).apply(m);
        }
        var out = verifiers.get(i).onMessage(m);
        note(out);
        verifiers.set(i, out.state());
        return out.messages();
    }

    private Message transport(Message m) {
        if (!throughBytes) {
            return m;
        }
        Decoded<Message> decoded = MessageCodec.decode(p, MessageCodec.encode(p, m));
        assertThat(decoded.ok()).as("decoding %s: %s", m.getClass().getSimpleName(), decoded).isTrue();
        return decoded.orElseThrow();
    }

    private void note(Outcome<?, ?> out) {
        if (out instanceof Outcome.Refused<?, ?> r) {
            refusals.add(r);
        }
    }

    /** The honest prover machine as a harness callback. */
    static BiFunction<RingHarness, Message, List<Message>> honest(ProverSession[] holder) {
        return (h, m) -> {
            var out = holder[0].onMessage(m);
            assertThat(out.refused()).as("prover refused %s", out).isFalse();
            holder[0] = out.state();
            return out.messages();
        };
    }
}
