// The CPU's vector lanes: several consecutive paths advanced together, one per
// lane of a kernels/lanes.h vector, by the same formulas as simulate_path
// (kernels/path.h). The diffusion sub-step (Philox draws, Box-Muller, the QE
// variance draw, the log-price update) and the jump-arrival test run on whole
// vectors; everything that only some paths do on a given day (a jump inside the
// sub-step, a regime switch draw, events, shocks) and the daily close run on
// each lane with the scalar code. Each lane therefore produces bit for bit the
// path that simulate_path produces (tests/test_lanes.cpp).
#pragma once

#include "kernels/lanes.h"
#include "kernels/path.h"

#if defined(CONDOR_HAVE_LANES)

namespace condor {

// Philox4x32-10 as in Random123's philox4x32 (kernels/rng.h), each lane its own
// counter and key; the 32-bit words sit in 64-bit lanes so that the 32 x 32 ->
// 64-bit products of a round are plain lane multiplies.
template <class U64>
inline void philox4x32_10_lanes(U64 (&counter)[4], U64 key0, U64 key1) {
    const std::uint64_t low32 = 0xffffffffu;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key0 = (key0 + 0x9E3779B9u) & low32;
            key1 = (key1 + 0xBB67AE85u) & low32;
        }
        const U64 product0 = counter[0] * 0xD2511F53u;
        const U64 product1 = counter[2] * 0xCD9E8D57u;
        const U64 next1 = product1 & low32;
        const U64 next3 = product0 & low32;
        counter[0] = (product1 >> 32) ^ counter[1] ^ key0;
        counter[2] = (product0 >> 32) ^ counter[3] ^ key1;
        counter[1] = next1;
        counter[3] = next3;
    }
}

// uniform_open (kernels/rng.h) on every lane: the same exact conversions, done
// by the 2^52 (double) and 2^23 (float) tricks.
inline DoubleLanes::Vec uniform_open_lanes(DoubleLanes::U64 bits, DoubleLanes::Vec tag) {
    const DoubleLanes::Vec k = from_bits(bits | 0x4330000000000000ull, tag) - 4503599627370496.0;
    return (k + 0.5) * 2.3283064365386963e-10;
}
inline FloatLanes::Vec uniform_open_lanes(FloatLanes::U64 bits, FloatLanes::Vec tag) {
    const FloatLanes::U32 top23 = __builtin_convertvector(bits >> 9, FloatLanes::U32);
    const FloatLanes::Vec k = from_bits(top23 | 0x4b000000u, tag) - 8388608.0f;
    return (k + 0.5f) * 1.1920928955078125e-07f;
}

// inverse_normal_cdf (kernels/special_functions.h) on lanes of doubles: the
// tails are evaluated only when some lane needs them.
template <class F64>
inline F64 inverse_normal_cdf_f64_lanes(F64 p) {
    const F64 q = p - 0.5;
    const auto centre = (q <= 0.425) & (q >= -0.425);
    F64 z = inverse_normal_centre(q);
    if (any_lane(centre == 0)) {
        const F64 r = inverse_normal_tail_variable(p, q);
        const auto near = r <= 5.0;
        F64 value = inverse_normal_near_tail(r);
        if (any_lane(near == 0)) value = select(near, value, inverse_normal_far_tail(r));
        z = select(centre, z, select(q < 0.0, -value, value));
    }
    return z;
}
inline DoubleLanes::Vec inverse_normal_cdf_lanes(DoubleLanes::Vec p) { return inverse_normal_cdf_f64_lanes(p); }
inline FloatLanes::Vec inverse_normal_cdf_lanes(FloatLanes::Vec p) {
    const FloatLanes::F64 z = inverse_normal_cdf_f64_lanes(__builtin_convertvector(p, FloatLanes::F64));
    return __builtin_convertvector(z, FloatLanes::Vec);
}

// diffuse_qe (kernels/variance_step.h) on lanes: both QE branches where the
// lanes need both, then a per-lane choice.
template <class Vec>
inline void diffuse_qe_lanes(const StepCoefficients<Vec>& c, Vec u_variance, Vec u1, Vec u2, Vec& log_s, Vec& x,
                             Vec& y) {
    using E = element_t<Vec>;
    Vec z1, z2;
    box_muller(u1, u2, z1, z2);
    const Vec A = c.k2 + E(0.5) * c.k4;
    const Vec m = c.mean_const + c.mean_slope * x;
    const Vec psi = (c.var_const + c.var_slope * x) / (m * m);
    const auto quadratic = psi <= E(1.5);
    QeDraw<Vec> d = qe_quadratic(m, psi, inverse_normal_cdf_lanes(u_variance), A);
    if (any_lane(quadratic == 0)) {
        const QeDraw<Vec> e = qe_exponential(m, psi, u_variance, A);
        d.x_next = select(quadratic, d.x_next, e.x_next);
        d.log_mgf = select(quadratic, d.log_mgf, e.log_mgf);
        d.mgf_ok = select(quadratic, d.mgf_ok, e.mgf_ok);
    }
    advance_log_price(c, x, d, z1, z2, log_s, y);
    x = d.x_next;
}

template <class Real>
class PathLanes {
public:
    using Types = LaneTypes<Real>;
    using Vec = typename Types::Vec;
    using U64 = typename Types::U64;
    using Mask = decltype(Vec{} < Vec{});
    static constexpr int width = Types::width;

    // The vector path applies where every regime a path can visit has a
    // stochastic x under the QE scheme; otherwise the caller runs simulate_path.
    static bool applies(const SimParams<Real>& p) {
        if (p.scheme != SchemeId::qe) return false;
        const FullSteps<Real> full = make_full_steps(p);
        for (int r = 0; r < 2; ++r)
            if ((p.regime_enabled || r == p.initial_regime) && full.regime[r].deterministic_x) return false;
        return true;
    }

    PathLanes(const SimParams<Real>& p, std::uint64_t first_path)
        : p_(p), full_(make_full_steps(p)), first_(first_path) {
        for (int i = 0; i < width; ++i) {
            const std::uint64_t path = first_path + std::uint64_t(i);
            key0_[i] = std::uint32_t(path);
            path_high_[i] = std::uint64_t(std::uint32_t(path >> 32) << 8);
        }
        key1_ = U64{} + std::uint32_t(p.seed);
        seed_high_ = U64{} + std::uint32_t(p.seed >> 32);
        for (int r = 0; r < 2; ++r) lambda_[r] = p.regime[r].lambda;
        any_jumps_ = lambda_[0] > Real(0) || lambda_[1] > Real(0);
    }

    // Simulates the lanes' paths; sink(i) gives lane i's sink (as simulate_path's).
    template <class SinkOf>
    void simulate(const SinkOf& sink_of, PathSummary<Real> (&out)[width]) const {
        PathWalk<Real> w[width];
        for (int i = 0; i < width; ++i) {
            auto sink = sink_of(i);
            w[i] = begin_path(p_, sink);
        }
        std::uint32_t step = 0;
        for (int day = 1; day <= p_.days; ++day) {
            for (int sub = 0; sub < p_.substeps_per_day; ++sub, ++step) advance_substep(step, w);
            for (int i = 0; i < width; ++i) {
                auto sink = sink_of(i);
                close_day(p_, rng(i), day, w[i], sink);
            }
        }
        for (int i = 0; i < width; ++i) out[i] = finish_path(p_, w[i]);
    }

private:
    PathRng rng(int lane) const { return PathRng(p_.seed, first_ + std::uint64_t(lane)); }

    // Words 0..3 of each lane's Philox output for (stream, step, draw), as in PathRng::bits.
    void bits(Stream stream, std::uint32_t step, std::uint32_t draw, U64 (&out)[4]) const {
        out[0] = U64{} + step;
        out[1] = U64{} + draw;
        out[2] = path_high_ | std::uint32_t(stream);
        out[3] = seed_high_;
        philox4x32_10_lanes(out, key0_, key1_);
    }

    // Each field of the lanes' step coefficients from their regimes.
    StepCoefficients<Vec> coefficients(Mask stressed) const {
        const StepCoefficients<Real>& a = full_.regime[0];
        const StepCoefficients<Real>& b = full_.regime[1];
        auto pick = [&](Real calm, Real stress) { return select(stressed, Vec{} + stress, Vec{} + calm); };
        StepCoefficients<Vec> c;
        c.h = pick(a.h, b.h);
        c.mean_const = pick(a.mean_const, b.mean_const);
        c.mean_slope = pick(a.mean_slope, b.mean_slope);
        c.var_const = pick(a.var_const, b.var_const);
        c.var_slope = pick(a.var_slope, b.var_slope);
        c.k0 = pick(a.k0, b.k0);
        c.k1 = pick(a.k1, b.k1);
        c.k2 = pick(a.k2, b.k2);
        c.k3 = pick(a.k3, b.k3);
        c.k4 = pick(a.k4, b.k4);
        c.drift = pick(a.drift, b.drift);
        c.eta = pick(a.eta, b.eta);
        c.eta_half_h = pick(a.eta_half_h, b.eta_half_h);
        c.decay_y = pick(a.decay_y, b.decay_y);
        c.y_integral_factor = pick(a.y_integral_factor, b.y_integral_factor);
        c.deterministic_x = false;
        return c;
    }

    // One sub-step of every lane, as advance_substep does for one path.
    void advance_substep(std::uint32_t step, PathWalk<Real> (&w)[width]) const {
        if (p_.regime_enabled)
            for (int i = 0; i < width; ++i) maybe_switch_regime(p_, rng(i), step, w[i].s);
        Vec log_s, x, y, regime;
        for (int i = 0; i < width; ++i) {
            log_s[i] = w[i].s.log_s;
            x[i] = w[i].s.x;
            y[i] = w[i].s.y;
            regime[i] = Real(w[i].s.regime);
        }
        const Mask stressed = regime > Real(0.5);

        // Lanes with a jump inside this sub-step take the scalar path below.
        Mask jumped = Mask{};
        if (any_jumps_) {
            const Vec lambda = select(stressed, Vec{} + lambda_[1], Vec{} + lambda_[0]);
            U64 jump_words[4];
            bits(Stream::jumps, step, 0, jump_words);
            const Vec arrival = Vec{} + log_positive(uniform_open_lanes(jump_words[0], Vec{})) / -lambda;
            jumped = (lambda > Real(0)) & (arrival < p_.dt);
        }

        U64 words[4];
        bits(Stream::diffusion, step, 0, words);
        diffuse_qe_lanes(coefficients(stressed), uniform_open_lanes(words[0], Vec{}),
                         uniform_open_lanes(words[1], Vec{}), uniform_open_lanes(words[2], Vec{}), log_s, x, y);

        for (int i = 0; i < width; ++i) {
            if (jumped[i]) {
                condor::advance_substep(p_, full_.regime[w[i].s.regime], rng(i), step, w[i].s, w[i].out.jumps);
            } else {
                w[i].s.log_s = log_s[i];
                w[i].s.x = x[i];
                w[i].s.y = y[i];
            }
        }
    }

    const SimParams<Real>& p_;
    FullSteps<Real> full_;
    std::uint64_t first_;
    U64 key0_, key1_, path_high_, seed_high_;
    Real lambda_[2];
    bool any_jumps_;
};

}  // namespace condor

#endif  // CONDOR_HAVE_LANES
