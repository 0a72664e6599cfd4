package org.latticare.zkp.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.seed.SeedRingProtocol.Contribution;
import org.latticare.zkp.seed.SeedRingProtocol.E1;
import org.latticare.zkp.seed.SeedRingProtocol.E2Pass;
import org.latticare.zkp.seed.SeedRingProtocol.E2Result;
import org.latticare.zkp.seed.SeedRingProtocol.E3;
import org.latticare.zkp.seed.SeedRingProtocol.Message;
import org.latticare.zkp.seed.SeedRingProtocol.OpenRound;
import org.latticare.zkp.seed.SeedRingProtocol.Parameters;
import org.latticare.zkp.seed.SeedRingProtocol.RoundOpened;
import org.latticare.zkp.seed.SeedRingProtocol.RoundVerdict;

class SeedRingProtocolTest {

    private static final Parameters P = Parameters.standard();
    private static final String SESSION = "seed-session";

    /** Routes messages between the machines as the actors would; the prover side is any function. */
    private static final class Ring {
        final List<SeedRingProtocol.VerifierHop> hops = new ArrayList<>();
        SeedRingProtocol.VerifierCheck check;
        final List<RoundVerdict> verdicts = new ArrayList<>();
        final List<Outcome.Refused<?, ?>> refusals = new ArrayList<>();

        Ring(long r, RandomSource random) {
            for (int i = 0; i < P.verifiers(); i++) {
                hops.add(SeedRingProtocol.VerifierHop.create(P, SESSION, i, r, random));
            }
            check = SeedRingProtocol.VerifierCheck.create(P, SESSION, r);
        }

        void run(Function<Message, List<Message>> prover) {
            Deque<Message> queue = new ArrayDeque<>();
            queue.add(check.start());
            while (!queue.isEmpty()) {
                Message m = queue.poll();
                if (m instanceof OpenRound) {
                    for (int i = 0; i < hops.size(); i++) {
                        var out = hops.get(i).onMessage(m);
                        note(out);
                        hops.set(i, out.state());
                        queue.addAll(out.messages());
                    }
                } else if (m instanceof E2Pass pass) {
                    var out = hops.get(pass.hop()).onMessage(m);
                    note(out);
                    hops.set(pass.hop(), out.state());
                    queue.addAll(out.messages());
                } else if (m instanceof Contribution || m instanceof E1 || m instanceof E3) {
                    var out = check.onMessage(m);
                    note(out);
                    check = out.state();
                    queue.addAll(out.messages());
                } else {
                    if (m instanceof RoundVerdict v) {
                        verdicts.add(v);
                    }
                    queue.addAll(prover.apply(m));
                }
            }
        }

        private void note(Outcome<?, ?> out) {
            if (out instanceof Outcome.Refused<?, ?> r) {
                refusals.add(r);
            }
        }
    }

    private static RandomSource random(String label) {
        return RandomSource.deterministic(label.getBytes(StandardCharsets.UTF_8));
    }

    private static Function<Message, List<Message>> driving(SeedRingProtocol.Prover initial) {
        SeedRingProtocol.Prover[] prover = {initial};
        return m -> {
            var out = prover[0].onMessage(m);
            assertThat(out.refused()).as("prover refused %s", m).isFalse();
            prover[0] = out.state();
            return out.messages();
        };
    }

    @Test
    void honestProverPassesAllRounds() {
        RandomSource random = random("completeness");
        long r = SeedRingProtocol.sampleSecret(P, random);
        PolyVector w = UniformSampler.vector(P.ring(), P.m(), random);
        Ring ring = new Ring(r, random);

        ring.run(driving(SeedRingProtocol.Prover.create(P, SESSION, w, random)));

        assertThat(ring.refusals).isEmpty();
        assertThat(ring.verdicts).hasSize(P.rounds()).allMatch(RoundVerdict::accepted);
        assertThat(ring.verdicts.get(P.rounds() - 1).identified()).isTrue();
        assertThat(ring.check.acceptedRounds()).isEqualTo(P.rounds());
    }

    @Test
    void impersonationWithoutAnyWitnessPassesAllTRounds() {
        RandomSource random = random("impersonation");
        long r = SeedRingProtocol.sampleSecret(P, random);
        Ring ring = new Ring(r, random);
        SeedForger[] forger = {SeedForger.create(P, SESSION, random)};

        ring.run(m -> {
            var out = forger[0].onMessage(m);
            forger[0] = out.state();
            return out.messages();
        });

        // the paper claims soundness error (1/q)^T; the forger passes T of T rounds
        assertThat(ring.verdicts).hasSize(P.rounds()).allMatch(RoundVerdict::accepted);
        assertThat(ring.verdicts.get(P.rounds() - 1).identified()).isTrue();
        // and it learned the verifiers' secret R = r from E2(V_n) = r V_m
        assertThat(forger[0].learnedSecret()).isEqualTo(r);
    }

    @Test
    void aProverWithTheWrongWitnessIsAcceptedToo() {
        RandomSource random = random("wrong-witness");
        long r = SeedRingProtocol.sampleSecret(P, random);
        Ring ring = new Ring(r, random);
        PolyVector unrelated = UniformSampler.vector(P.ring(), P.m(), random);

        ring.run(driving(SeedRingProtocol.Prover.create(P, SESSION, unrelated, random)));

        assertThat(ring.verdicts).hasSize(P.rounds()).allMatch(RoundVerdict::accepted);
    }

    @Test
    void aVerifierRecoversTheWitnessAfterMRounds() {
        RandomSource random = random("witness-recovery");
        long r = SeedRingProtocol.sampleSecret(P, random);
        PolyVector w = UniformSampler.vector(P.ring(), P.m(), random);
        Ring ring = new Ring(r, random);

        ring.run(driving(SeedRingProtocol.Prover.create(P, SESSION, w, random)));

        var transcript = ring.check.transcript();
        assertThat(transcript).hasSize(P.rounds());
        assertThat(WitnessRecovery.solve(P.ring(), P.m(), transcript.subList(0, P.m() - 1))).isEmpty();
        Optional<PolyVector> recovered = WitnessRecovery.solve(P.ring(), P.m(), transcript.subList(0, P.m()));
        assertThat(recovered).contains(w);
    }

    @Test
    void machinesRefuseWrongSessionReplayAndWrongDimension() {
        RandomSource random = random("refusals");
        long r = SeedRingProtocol.sampleSecret(P, random);
        var hop = SeedRingProtocol.VerifierHop.create(P, SESSION, 0, r, random);
        assertThat(hop.onMessage(new OpenRound("other", 0)))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.WRONG_SESSION));
        hop = hop.onMessage(new OpenRound(SESSION, 0)).state();
        assertThat(hop.onMessage(new OpenRound(SESSION, 0)))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.REPLAYED));
        PolyVector shortVector = PolyVector.zero(P.ring(), P.m() - 1);
        assertThat(hop.onMessage(new E2Pass(SESSION, 0, 0, shortVector)))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.WRONG_DIMENSION));
        assertThat(hop.onMessage(new E2Pass(SESSION, 0, 1, PolyVector.zero(P.ring(), P.m()))))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.WRONG_HOP));

        var prover = SeedRingProtocol.Prover.create(P, SESSION, PolyVector.zero(P.ring(), P.m()), random);
        assertThat(prover.onMessage(new E2Result(SESSION, 0, PolyVector.zero(P.ring(), P.m()))))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.OUT_OF_ORDER));
        assertThat(prover.onMessage(new RoundOpened(SESSION, 0, shortVector)))
                .isInstanceOfSatisfying(Outcome.Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.WRONG_DIMENSION));
    }
}
