package org.latticare.zkp.ring;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentityPublicKey;

/**
 * The contract's side of E4: collects the ring's signed {@link Verdict}s for one session and decides
 * by the {@link QuorumRule}. Refuses verdicts for other sessions, from positions outside the ring,
 * with signatures that do not verify under the registered key, or repeated. Emits one
 * {@link Decision} as soon as the outcome is certain (the contract then writes {@code IdentityVerified}).
 */
public final class VerdictTally {

    /** The contract's decision; {@code accepting} lists the positions whose accepting verdicts counted. */
    public record Decision(String session, boolean identified, List<Integer> accepting, List<Integer> rejecting) {
        public Decision {
            accepting = List.copyOf(accepting);
            rejecting = List.copyOf(rejecting);
        }
    }

    private final IdentityPublicKey key;
    private final RingMembers members;
    private final QuorumRule rule;
    private final String session;
    private final Map<Integer, Verdict> verdicts;
    private final Decision decision;

    private VerdictTally(IdentityPublicKey key, RingMembers members, QuorumRule rule, String session,
            Map<Integer, Verdict> verdicts, Decision decision) {
        this.key = key;
        this.members = members;
        this.rule = rule;
        this.session = session;
        this.verdicts = verdicts;
        this.decision = decision;
    }

    public static VerdictTally create(IdentityPublicKey key, RingMembers members, QuorumRule rule, String session) {
        if (rule.ringSize() != members.size()) {
            throw new IllegalArgumentException("quorum rule is for a ring of " + rule.ringSize());
        }
        return new VerdictTally(key, members, rule, session, new TreeMap<>(), null);
    }

    /** The decision, or null while the quorum is still open. */
    public Decision decision() {
        return decision;
    }

    public Outcome<VerdictTally, Decision> onVerdict(Verdict v) {
        if (v == null) {
            return Outcome.refuse(this, Refusal.MALFORMED, "null verdict");
        }
        if (!session.equals(v.session())) {
            return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + v.session());
        }
        if (v.verifier() < 0 || v.verifier() >= members.size()) {
            return Outcome.refuse(this, Refusal.WRONG_HOP, "no ring position " + v.verifier());
        }
        if (verdicts.containsKey(v.verifier())) {
            return Outcome.refuse(this, Refusal.REPLAYED, "position " + v.verifier() + " already gave its verdict");
        }
        if (v.reason() == null || v.transcript() == null || v.transcript().length != 32
                || v.accepted() != (v.reason() == RingChallengeIdentification.Reason.IDENTIFIED)
                || v.suspect() < RingChallengeIdentification.NO_SUSPECT || v.suspect() >= members.size()
                || (v.suspect() != RingChallengeIdentification.NO_SUSPECT
                        && v.reason() != RingChallengeIdentification.Reason.EQUIVOCATION)) {
            return Outcome.refuse(this, Refusal.OUT_OF_RANGE, "verdict fields inconsistent");
        }
        byte[] payload = RingChallengeIdentification.verdictPayload(key, session, v.verifier(), v.accepted(), v.reason(),
                v.rounds(), v.suspect(), v.transcript());
        if (!members.signedBy(v.verifier(), payload, v.signature())) {
            return Outcome.refuse(this, Refusal.BAD_SIGNATURE, "verdict of position " + v.verifier());
        }
        Map<Integer, Verdict> all = new TreeMap<>(verdicts);
        all.put(v.verifier(), v);
        List<Integer> accepting = all.values().stream().filter(Verdict::accepted).map(Verdict::verifier).toList();
        List<Integer> rejecting = all.values().stream().filter(x -> !x.accepted()).map(Verdict::verifier).toList();
        Decision now = null;
        if (decision == null) {
            if (accepting.size() >= rule.required()) {
                now = new Decision(session, true, accepting, rejecting);
            } else if (members.size() - rejecting.size() < rule.required()) {
                now = new Decision(session, false, accepting, rejecting);
            }
        }
        VerdictTally next = new VerdictTally(key, members, rule, session, all, decision != null ? decision : now);
        return now == null ? Outcome.advance(next, List.of()) : Outcome.advance(next, now);
    }
}
