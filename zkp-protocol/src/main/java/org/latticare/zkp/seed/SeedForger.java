package org.latticare.zkp.seed;

import java.util.List;

import org.latticare.lattice.ring.Modulus;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.seed.SeedRingProtocol.E1;
import org.latticare.zkp.seed.SeedRingProtocol.E2Result;
import org.latticare.zkp.seed.SeedRingProtocol.E3;
import org.latticare.zkp.seed.SeedRingProtocol.Message;
import org.latticare.zkp.seed.SeedRingProtocol.Parameters;
import org.latticare.zkp.seed.SeedRingProtocol.RoundOpened;
import org.latticare.zkp.seed.SeedRingProtocol.RoundVerdict;

/**
 * The impersonation attack on {@link SeedRingProtocol}: a prover who knows no witness at all. It sends
 * a random {@code E1}; from {@code E2(V_n) = r V_m} (7) and the public {@code V_m} it reads off the
 * verifiers' secret {@code r = E2_j / (V_m)_j}, and answers {@code E3 = r·E1}, which equals
 * {@code E4 = R^T E1} (9) in every round.
 */
public final class SeedForger {

    private final Parameters parameters;
    private final String session;
    private final int round;
    private final PolyVector vm;
    private final long e1;
    private final RandomSource random;
    private final Long learnedSecret;

    private SeedForger(Parameters parameters, String session, int round, PolyVector vm, long e1, Long learnedSecret,
            RandomSource random) {
        this.parameters = parameters;
        this.session = session;
        this.round = round;
        this.vm = vm;
        this.e1 = e1;
        this.learnedSecret = learnedSecret;
        this.random = random;
    }

    public static SeedForger create(Parameters parameters, String session, RandomSource random) {
        return new SeedForger(parameters, session, 0, null, 0, null, random);
    }

    /** The verifiers' secret r as read off the last {@code E2(V_n)}, if any round got that far. */
    public Long learnedSecret() {
        return learnedSecret;
    }

    public Outcome<SeedForger, Message> onMessage(Message message) {
        if (message instanceof RoundVerdict) {
            return Outcome.advance(this, List.of());
        }
        if (!session.equals(message.session()) || message.round() != round) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "not for this round");
        }
        if (message instanceof RoundOpened opened) {
            long guess = random.nextBelow(parameters.q());
            return Outcome.advance(new SeedForger(parameters, session, round, opened.vm(), guess, learnedSecret, random),
                    new E1(session, round, guess));
        }
        if (message instanceof E2Result result && vm != null) {
            Modulus q = parameters.ring().modulus();
            long r = -1;
            for (int j = 0; j < parameters.m() && r < 0; j++) {
                long v = vm.get(j).coefficient(0);
                if (v != 0) {
                    r = q.multiply(result.e2().get(j).coefficient(0), q.inverse(v));
                }
            }
            return Outcome.advance(new SeedForger(parameters, session, round + 1, null, 0, r, random),
                    new E3(session, round, q.multiply(r, e1)));
        }
        return Outcome.refuse(this, Refusal.OUT_OF_ORDER, message.getClass().getSimpleName());
    }
}
